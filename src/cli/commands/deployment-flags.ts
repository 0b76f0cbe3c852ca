import { InfraConfigError } from '../../infra/errors.js'
import {
  IDENTITY_CONTEXT_KEYS,
  type IdentitySettings,
  identityFromContext,
} from '../../infra/identity-settings.js'
import { reservedConcurrencyOf } from '../../infra/settings.js'
import { TOPOLOGIES, type Topology } from '../../topology/topologies.js'
import { choiceFlag } from '../args.js'
import { UsageError } from '../command.js'

/**
 * Splits `aplus deploy --topology x -- --profile lab` into aplus's own flags and the ones that
 * go to cdk untouched.
 */
export function splitCdkArguments(argv: readonly string[]): {
  own: string[]
  cdk: string[]
} {
  const separator = argv.indexOf('--')
  if (separator < 0) return { own: [...argv], cdk: [] }
  return { own: argv.slice(0, separator), cdk: argv.slice(separator + 1) }
}

/** Deploying and destroying name their topology: neither guesses which stack is meant. */
export function requiredTopology(value: string | undefined): Topology {
  if (value === undefined) {
    throw new UsageError(`option --topology is required: one of ${TOPOLOGIES.join(', ')}`)
  }
  return choiceFlag('topology', value, TOPOLOGIES, 'monolith')
}

export function reservedConcurrencyFlag(
  value: string | undefined,
  deployment: Parameters<typeof reservedConcurrencyOf>[1],
): Record<string, number> {
  if (value?.trim() === '') {
    throw new UsageError(
      "option --reserved-concurrency takes FUNCTION=COUNT pairs, e.g. enrollments=10; got ''",
    )
  }
  try {
    return reservedConcurrencyOf(value, deployment)
  } catch (error) {
    if (error instanceof InfraConfigError) {
      throw new UsageError(`option --reserved-concurrency: ${error.message}`)
    }
    throw error
  }
}

/** `--jwt-issuer`, `--jwt-audience`, `--jwt-scope-prefix`, checked as the CDK app checks them. */
export function identityFlags(
  issuer: string | undefined,
  audience: string | undefined,
  scopePrefix: string | undefined,
): IdentitySettings {
  const values: Record<string, string | undefined> = {
    [IDENTITY_CONTEXT_KEYS.issuer]: issuer,
    [IDENTITY_CONTEXT_KEYS.audience]: audience,
    [IDENTITY_CONTEXT_KEYS.scopePrefix]: scopePrefix,
  }
  try {
    return identityFromContext((key) => values[key])
  } catch (error) {
    if (error instanceof InfraConfigError) {
      const flagged = error.message
        .replaceAll(`'${IDENTITY_CONTEXT_KEYS.issuer}'`, '--jwt-issuer')
        .replaceAll(`'${IDENTITY_CONTEXT_KEYS.audience}'`, '--jwt-audience')
        .replaceAll(`'${IDENTITY_CONTEXT_KEYS.scopePrefix}'`, '--jwt-scope-prefix')
        .replace(/^context /, 'option ')
      throw new UsageError(flagged, { cause: error })
    }
    throw error
  }
}

export function rejectPositionals(positionals: readonly string[]): void {
  const [first] = positionals
  if (first !== undefined) {
    throw new UsageError(`unexpected argument '${first}'; options for cdk go after --`)
  }
}
