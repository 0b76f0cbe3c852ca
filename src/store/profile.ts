import type { BackoffRetryOptions } from './retry.js'

/**
 * How the data layer's DynamoDB client behaves: retries and connections. A deployment picks one
 * with the APLUS_STORE_PROFILE environment variable, so the experiment can compare them without
 * a code change.
 */
export interface StoreProfile {
  readonly name: string
  readonly description: string
  /**
   * Client settings beyond the SDK's defaults; an empty object keeps every SDK default. With the
   * SDK installed here (3.11xx, late 2026) those are its 2026 retry rules: standard mode, 4
   * attempts for DynamoDB, full-jitter backoff from 1 s for throttling and 50 ms otherwise; and a
   * keep-alive agent with 50 sockets and no timeouts.
   */
  readonly client: {
    maxAttempts?: number
    retryMode?: 'standard' | 'adaptive'
    /** Replaces the SDK's retry strategy; maxAttempts and retryMode are then unused. */
    backoffRetry?: BackoffRetryOptions
    maxSockets?: number
    connectionTimeoutMs?: number
    requestTimeoutMs?: number
  }
}

/**
 * The resilient profile's time budget. A function has 3 s by default; a retry never starts after
 * 1.2 s and an attempt is abandoned after 0.8 s, so the last one ends by 2 s, leaving time to
 * answer 503 with Retry-After instead of being killed by the timeout.
 */
const RESILIENT_BUDGET_MS = 1200
const RESILIENT_REQUEST_TIMEOUT_MS = 800

export const STORE_PROFILES = {
  'sdk-defaults': {
    name: 'sdk-defaults',
    description: 'the defaults of the AWS SDK installed here (its 2026 retry rules)',
    client: {},
  },
  'seed-era': {
    name: 'seed-era',
    description: "the SDK's defaults before its 2026 retry rules, as the seed's team had them",
    client: {
      // Standard mode until 2026: 3 attempts, full jitter from 500 ms for throttling errors and
      // 100 ms for transient ones, capped at 20 s; the retry quota never ran dry in those years.
      backoffRetry: {
        maxAttempts: 3,
        throttlingBaseDelayMs: 500,
        transientBaseDelayMs: 100,
        capDelayMs: 20_000,
      },
    },
  },
  resilient: {
    name: 'resilient',
    description:
      'full-jitter retries within a time budget, bounded sockets, connection and request timeouts',
    client: {
      backoffRetry: {
        maxAttempts: 8,
        budgetMs: RESILIENT_BUDGET_MS,
        throttlingBaseDelayMs: 50,
        transientBaseDelayMs: 25,
        capDelayMs: 400,
        retryThrottledTransactions: true,
      },
      maxSockets: 50,
      connectionTimeoutMs: 500,
      requestTimeoutMs: RESILIENT_REQUEST_TIMEOUT_MS,
    },
  },
  adaptive: {
    name: 'adaptive',
    description: "the SDK's adaptive mode: client-side rate limiting after throttles, 8 attempts",
    client: { retryMode: 'adaptive', maxAttempts: 8 },
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
