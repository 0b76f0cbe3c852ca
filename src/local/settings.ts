import { readFile } from 'node:fs/promises'
import { z } from 'zod'
import { functionsOf, type Topology } from '../topology/topologies.js'
import { type FaultSettings, faultsSchema, resolveFaults } from './faults/config.js'
import { DEFAULT_ACCOUNT_LIMITS, validateLimits } from './lambda/concurrency.js'
import { DEFAULT_COLD_START_DELAY_MS, DEFAULT_IDLE_RECLAIM_MS } from './lambda/defaults.js'
import { LambdaConfigError } from './lambda/errors.js'

/**
 * The local cloud's Lambda and API Gateway settings, from a JSON config file and/or flags, each
 * layer validated with the same rules. Every setting has AWS's value as its default, so an empty
 * config runs the local cloud as a new deployment on an established account would.
 *
 * Config file shape (every key optional):
 *
 * ```json
 * {
 *   "lambda": {
 *     "accountConcurrency": 1000, "minimumUnreservedConcurrency": 100,
 *     "scalingEnvironments": 1000, "scalingWindowMs": 10000,
 *     "idleReclaimMs": 600000, "coldStartDelayMs": 250,
 *     "functions": { "students": { "reservedConcurrency": 5, "provisionedConcurrency": 1,
 *                                  "memoryMb": 256, "timeoutSeconds": 10 } }
 *   },
 *   "gateway": { "api": "http", "payloadFormat": "2.0", "ratePerSecond": 10000, "burst": 5000,
 *                "integrationTimeoutMs": 30000,
 *                "authorizer": { "issuer": "https://…", "audiences": ["…"], "jwks": { "keys": [] },
 *                                "scopePrefix": "aplus/" } },
 *   "faults": { "seed": 7, "dynamodb": { "internalErrorRate": 0.05 }, "lambda": { "crashRate": 0.01 } }
 * }
 * ```
 *
 * Without `gateway.authorizer` the gateway trusts the local issuer (`aplus token`); with it, the
 * tokens of another OIDC issuer, checked against the public keys given (a JWKS document, as its
 * `jwks_uri` serves it: the local cloud fetches nothing).
 *
 * `faults` (src/local/faults/config.ts) is taken as a whole from the last layer that sets it.
 */

const count = (max: number) => z.number().int().min(0).max(max)

const functionSchema = z.strictObject({
  reservedConcurrency: count(1_000_000).optional(),
  provisionedConcurrency: count(1_000_000).optional(),
  memoryMb: z.number().int().min(128).max(10_240).optional(),
  timeoutSeconds: z.number().int().min(1).max(900).optional(),
})

const lambdaSchema = z.strictObject({
  accountConcurrency: z.number().int().min(1).max(1_000_000).optional(),
  minimumUnreservedConcurrency: count(1_000_000).optional(),
  scalingEnvironments: z.number().int().min(1).max(1_000_000).optional(),
  scalingWindowMs: z.number().int().min(1).max(3_600_000).optional(),
  idleReclaimMs: z
    .number()
    .int()
    .min(1)
    .max(24 * 3_600_000)
    .optional(),
  coldStartDelayMs: count(60_000).optional(),
  functions: z.record(z.string(), functionSchema).optional(),
})

/** Another OIDC issuer's JWT authorizer settings, as an HTTP API names them. */
const authorizerSchema = z.strictObject({
  issuer: z.url({ protocol: /^https?$/ }),
  audiences: z.array(z.string().min(1)).min(1),
  jwks: z.strictObject({ keys: z.array(z.record(z.string(), z.unknown())).min(1) }),
  scopePrefix: z.string().max(200).optional(),
})

const gatewaySchema = z.strictObject({
  api: z.enum(['http', 'rest']).optional(),
  payloadFormat: z.enum(['2.0', '1.0']).optional(),
  ratePerSecond: z.number().positive().max(1_000_000).optional(),
  burst: z.number().int().min(1).max(1_000_000).optional(),
  integrationTimeoutMs: z.number().int().min(50).max(300_000).optional(),
  authorizer: authorizerSchema.optional(),
  throttledInvoke: z.enum(['server-error', 'too-many-requests']).optional(),
})

export const cloudConfigSchema = z.strictObject({
  lambda: lambdaSchema.optional(),
  gateway: gatewaySchema.optional(),
  faults: faultsSchema.optional(),
})

/** One layer of settings, as a config file or the flags give them. */
export type CloudConfig = z.infer<typeof cloudConfigSchema>
export type FunctionSettings = z.infer<typeof functionSchema>
export type AuthorizerSettings = z.infer<typeof authorizerSchema>

export interface LambdaSettings {
  accountConcurrency: number
  minimumUnreservedConcurrency: number
  scalingEnvironments: number
  scalingWindowMs: number
  idleReclaimMs: number
  coldStartDelayMs: number
  functions: Record<string, FunctionSettings>
}

export interface GatewaySettings {
  api: 'http' | 'rest'
  payloadFormat: '2.0' | '1.0'
  ratePerSecond: number
  burst: number
  /** Unset: the API kind's own (30 s HTTP, 29 s REST). */
  integrationTimeoutMs?: number | undefined
  /** Unset: the local issuer's tokens (`aplus token`). */
  authorizer?: AuthorizerSettings | undefined
  /**
   * How a throttled Lambda invoke is answered: `server-error`, API Gateway's own answer (500), or
   * `too-many-requests`, 429 with Retry-After from Lambda's hint, as a REST API answers when its
   * INTEGRATION_FAILURE gateway response is mapped so (an HTTP API offers no such mapping).
   */
  throttledInvoke: 'server-error' | 'too-many-requests'
}

export interface CloudSettings {
  lambda: LambdaSettings
  gateway: GatewaySettings
  /** What the run injects on purpose; nothing unless a layer says so. */
  faults: FaultSettings
}

/** A config file or setting the local cloud cannot use; the message names the key. */
export class CloudConfigError extends Error {
  override readonly name = 'CloudConfigError'
}

/** Reads and validates a JSON config file. */
export async function loadCloudConfig(file: string): Promise<CloudConfig> {
  let text: string
  try {
    text = await readFile(file, 'utf8')
  } catch (error) {
    throw new CloudConfigError(`cannot read config file ${file}: ${(error as Error).message}`, {
      cause: error,
    })
  }
  return parseCloudConfig(text, file)
}

export function parseCloudConfig(text: string, source: string): CloudConfig {
  let value: unknown
  try {
    value = JSON.parse(text)
  } catch (error) {
    throw new CloudConfigError(`${source} is not valid JSON: ${(error as Error).message}`, {
      cause: error,
    })
  }
  const parsed = cloudConfigSchema.safeParse(value)
  if (!parsed.success) {
    const problems = parsed.error.issues.map((issue) => {
      const key = issue.path.map(String).join('.') || '(top level)'
      return `${key}: ${issue.message}`
    })
    throw new CloudConfigError(`${source}: ${problems.join('; ')}`)
  }
  return parsed.data
}

/**
 * Merges layers (later ones win, function by function) over AWS's defaults and checks them
 * against the topology: every function named must exist in it, and the reservations must leave
 * the account's minimum unreserved.
 */
export function resolveCloudSettings(
  topology: Topology,
  ...layers: readonly CloudConfig[]
): CloudSettings {
  const lambda: LambdaSettings = {
    ...DEFAULT_ACCOUNT_LIMITS,
    idleReclaimMs: DEFAULT_IDLE_RECLAIM_MS,
    coldStartDelayMs: DEFAULT_COLD_START_DELAY_MS,
    functions: {},
  }
  const gateway: GatewaySettings = {
    api: 'http',
    payloadFormat: '2.0',
    ratePerSecond: 10_000,
    burst: 5_000,
    throttledInvoke: 'server-error',
  }
  let faults = resolveFaults({})
  for (const layer of layers) {
    if (layer.faults) faults = layer.faults
    const { functions, ...account } = layer.lambda ?? {}
    Object.assign(lambda, definedOnly(account))
    for (const [name, settings] of Object.entries(functions ?? {})) {
      const problem = unknownFunctionProblem(topology, name)
      if (problem) throw new CloudConfigError(`lambda.functions.${name}: ${problem}`)
      lambda.functions[name] = { ...lambda.functions[name], ...definedOnly(settings) }
    }
    Object.assign(gateway, definedOnly(layer.gateway ?? {}))
  }
  if (gateway.api === 'rest' && gateway.payloadFormat === '2.0') {
    const explicit = layers.some((layer) => layer.gateway?.payloadFormat === '2.0')
    if (explicit) {
      throw new CloudConfigError('gateway.payloadFormat: a REST API sends payload 1.0 only')
    }
    gateway.payloadFormat = '1.0'
  }
  checkLimits(lambda)
  for (const name of faults.lambda.functions ?? []) {
    const problem = unknownFunctionProblem(topology, name)
    if (problem) throw new CloudConfigError(`faults.lambda.functions: ${problem}`)
  }
  return { lambda, gateway, faults }
}

/** Why a function name is not one of the topology's, or undefined when it is. */
export function unknownFunctionProblem(topology: Topology, name: string): string | undefined {
  const names = functionsOf(topology).map((fn) => fn.name)
  if (names.includes(name)) return undefined
  return `no function named '${name}' in the ${topology} topology; its functions are: ${names.join(', ')}`
}

function checkLimits(lambda: LambdaSettings): void {
  try {
    validateLimits(
      lambda,
      Object.entries(lambda.functions).map(([name, settings]) => ({ name, ...settings })),
    )
  } catch (error) {
    if (error instanceof LambdaConfigError) {
      const hint = error.message.includes('must stay unreserved')
        ? ' (lambda.minimumUnreservedConcurrency lowers that minimum)'
        : ''
      throw new CloudConfigError(`lambda: ${error.message}${hint}`, { cause: error })
    }
    throw error
  }
}

function definedOnly<T extends object>(value: T): Partial<T> {
  return Object.fromEntries(
    Object.entries(value).filter(([, entry]) => entry !== undefined),
  ) as Partial<T>
}
