/**
 * How the data layer's DynamoDB client behaves: retries and connections. A deployment picks one
 * with the APLUS_STORE_PROFILE environment variable, so the experiment can compare them without
 * a code change.
 */
export interface StoreProfile {
  readonly name: string
  readonly description: string
  /**
   * Client settings beyond the SDK's defaults; an empty object keeps every SDK default
   * (retryMode standard, 3 attempts, keep-alive agent with 50 sockets, no timeouts).
   */
  readonly client: {
    maxAttempts?: number
    retryMode?: 'standard' | 'adaptive'
    maxSockets?: number
  }
}

export const STORE_PROFILES = {
  'sdk-defaults': {
    name: 'sdk-defaults',
    description: "the AWS SDK's defaults, as most teams (and the seed's) run it",
    client: {},
  },
} as const satisfies Record<string, StoreProfile>

export type StoreProfileName = keyof typeof STORE_PROFILES

export const DEFAULT_STORE_PROFILE: StoreProfileName = 'sdk-defaults'

export function isStoreProfileName(name: string): name is StoreProfileName {
  return Object.hasOwn(STORE_PROFILES, name)
}

/** The profile a name selects; an unknown name is an error that lists the known ones. */
export function storeProfile(name: string | undefined): StoreProfile {
  if (name === undefined || name === '') return STORE_PROFILES[DEFAULT_STORE_PROFILE]
  if (!isStoreProfileName(name)) {
    const known = Object.keys(STORE_PROFILES).join(', ')
    throw new Error(`APLUS_STORE_PROFILE must be one of ${known}, got '${name}'`)
  }
  return STORE_PROFILES[name]
}
