import {
  type CapacitySpec,
  CapacitySpecError,
  DEFAULT_CAPACITY,
  formatCapacitySpec,
  parseCapacitySpec,
} from '../store/capacity.js'
import {
  DEFAULT_STORE_PROFILE,
  isStoreProfileName,
  STORE_PROFILES,
  type StoreProfileName,
  storeProfile,
} from '../store/profile.js'
import { admissionWindowSeconds, derivedReservedConcurrency } from '../topology/admission.js'
import { functionsOf, isTopology, TOPOLOGIES, type Topology } from '../topology/topologies.js'
import { InfraConfigError } from './errors.js'
import { type IdentitySettings, identityFromContext } from './identity-settings.js'

/** Everything one deployment is made from besides the code: one stack per topology. */
export interface DeploymentSettings {
  readonly topology: Topology
  readonly capacity: CapacitySpec
  readonly storeProfile: StoreProfileName
  /** Reserved concurrency by function name; a function not listed reserves none. */
  readonly reservedConcurrency: Readonly<Record<string, number>>
  /** Who issues the tokens the API's JWT authorizer accepts (src/infra/identity-settings.ts). */
  readonly identity: IdentitySettings
}

/** The CDK context keys the app reads (`cdk synth -c topology=services`). */
export const CONTEXT_KEYS = {
  topology: 'topology',
  capacity: 'capacity',
  storeProfile: 'storeProfile',
  reservedConcurrency: 'reservedConcurrency',
} as const

export const DEFAULT_TOPOLOGY: Topology = 'monolith'

/** The values cdk.json sets as defaults, as the context would carry them. */
export const DEFAULT_CONTEXT = {
  [CONTEXT_KEYS.topology]: DEFAULT_TOPOLOGY,
  [CONTEXT_KEYS.capacity]: formatCapacitySpec(DEFAULT_CAPACITY),
} as const

/** The stack of a topology: deployments of different topologies live side by side. */
export function stackNameOf(topology: Topology): string {
  return `APlus-${topology}`
}

/**
 * Reads the deployment settings from CDK context values (strings from `-c key=value`, or any
 * JSON from cdk.json). Every bad value is an InfraConfigError naming its context key.
 */
export function settingsFromContext(contextValue: (key: string) => unknown): DeploymentSettings {
  const topology = parseTopology(
    stringContext(contextValue, CONTEXT_KEYS.topology) ?? DEFAULT_TOPOLOGY,
  )
  const capacityText = stringContext(contextValue, CONTEXT_KEYS.capacity)
  const profile = stringContext(contextValue, CONTEXT_KEYS.storeProfile) ?? DEFAULT_STORE_PROFILE
  const reserved = contextValue(CONTEXT_KEYS.reservedConcurrency)
  const capacity =
    capacityText === undefined
      ? DEFAULT_CAPACITY
      : withKey(CONTEXT_KEYS.capacity, () => parseCapacitySpec(capacityText))
  return {
    topology,
    capacity,
    storeProfile: withKey(CONTEXT_KEYS.storeProfile, () => parseStoreProfile(profile)),
    reservedConcurrency: withKey(CONTEXT_KEYS.reservedConcurrency, () =>
      reservedConcurrencyOf(reserved, {
        topology,
        capacity,
        storeProfile: parseStoreProfile(profile),
      }),
    ),
    identity: identityFromContext(contextValue),
  }
}

function parseTopology(value: string): Topology {
  if (isTopology(value)) return value
  throw new InfraConfigError(
    `context '${CONTEXT_KEYS.topology}' must be one of ${TOPOLOGIES.join(', ')}; got '${value}'`,
  )
}

export function parseStoreProfile(value: string): StoreProfileName {
  if (isStoreProfileName(value)) return value
  throw new InfraConfigError(
    `must be one of ${Object.keys(STORE_PROFILES).join(', ')}; got '${value}'`,
  )
}

/**
 * Reserved concurrency as written: `derived` applies admission control's rule
 * (src/topology/admission.ts) to the table's capacity and the store profile's retry budget,
 * every writing route weighted alike; anything else is explicit FUNCTION=COUNT pairs.
 */
export function reservedConcurrencyOf(
  value: unknown,
  deployment: { topology: Topology; capacity: CapacitySpec; storeProfile: StoreProfileName },
): Record<string, number> {
  if (value !== 'derived') return parseReservedConcurrency(value, deployment.topology)
  const window = admissionWindowSeconds(storeProfile(deployment.storeProfile))
  return derivedReservedConcurrency(deployment.topology, deployment.capacity, window)
}

/**
 * Reserved concurrency per function, written `students=10,courses=5` (or, in cdk.json, as an
 * object `{"students": 10}`). Names must be functions of the topology; 0 is allowed and stops
 * a function from running at all, as on AWS.
 */
export function parseReservedConcurrency(
  value: unknown,
  topology: Topology,
): Record<string, number> {
  if (value === undefined || value === '') return {}
  const entries = typeof value === 'string' ? splitPairs(value) : objectEntries(value)
  const names = functionsOf(topology).map((fn) => fn.name)
  const reserved: Record<string, number> = {}
  for (const [name, count] of entries) {
    if (!names.includes(name)) {
      throw new InfraConfigError(
        `'${name}' is not a function of the ${topology} topology; its functions are ${names.join(', ')}`,
      )
    }
    const number =
      typeof count === 'number' ? count : /^\d+$/.test(String(count)) ? Number(count) : Number.NaN
    if (!Number.isSafeInteger(number) || number < 0) {
      throw new InfraConfigError(
        `reserved concurrency of '${name}' must be a whole number of at least 0; got '${count}'`,
      )
    }
    reserved[name] = number
  }
  return reserved
}

function splitPairs(text: string): [string, string][] {
  return text.split(',').map((pair) => {
    const [name, count, ...rest] = pair.split('=')
    if (!name || count === undefined || rest.length > 0) {
      throw new InfraConfigError(`expected FUNCTION=COUNT pairs like students=10; got '${pair}'`)
    }
    return [name.trim(), count.trim()]
  })
}

function objectEntries(value: unknown): [string, unknown][] {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new InfraConfigError(
      `expected FUNCTION=COUNT pairs or an object of counts; got ${JSON.stringify(value)}`,
    )
  }
  return Object.entries(value)
}

function stringContext(contextValue: (key: string) => unknown, key: string): string | undefined {
  const value = contextValue(key)
  if (value === undefined) return undefined
  if (typeof value !== 'string') {
    throw new InfraConfigError(`context '${key}' must be a string; got ${JSON.stringify(value)}`)
  }
  return value
}

/** Runs a parser and puts the context key in front of whatever it refuses. */
function withKey<T>(key: string, parse: () => T): T {
  try {
    return parse()
  } catch (error) {
    if (error instanceof InfraConfigError || error instanceof CapacitySpecError) {
      throw new InfraConfigError(`context '${key}': ${error.message}`, { cause: error })
    }
    throw error
  }
}
