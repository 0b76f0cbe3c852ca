import { InfraConfigError } from '../../infra/errors.js'
import { parseReservedConcurrency } from '../../infra/settings.js'
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
  topology: Topology,
): Record<string, number> {
  if (value?.trim() === '') {
    throw new UsageError(
      "option --reserved-concurrency takes FUNCTION=COUNT pairs, e.g. enrollments=10; got ''",
    )
  }
  try {
    return parseReservedConcurrency(value, topology)
  } catch (error) {
    if (error instanceof InfraConfigError) {
      throw new UsageError(`option --reserved-concurrency: ${error.message}`)
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
