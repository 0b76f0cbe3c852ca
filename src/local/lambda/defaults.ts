/**
 * Lambda's numbers, as the local Lambda service uses them when a setting does not override them.
 * Each names its source in /work/shared/FACTS.md terms (section 5, "Lambda"); none is tuned to
 * make a result look a particular way.
 */

/** Concurrent executions per account and Region on an established account. */
export const DEFAULT_ACCOUNT_CONCURRENCY = 1000

/**
 * Unreserved concurrency that reservations must leave free. AWS keeps 100; an account whose whole
 * quota is lower (a new account with 10 or 50) cannot reserve anything, and the local service
 * behaves the same way because the minimum is capped at the account's quota.
 */
export const DEFAULT_MINIMUM_UNRESERVED_CONCURRENCY = 100

/**
 * Scaling rate: each function may add 1,000 execution environments per 10 seconds, refilled
 * continuously; unused rate does not accumulate beyond the 1,000.
 */
export const DEFAULT_SCALING_ENVIRONMENTS = 1000
export const DEFAULT_SCALING_WINDOW_MS = 10_000

/**
 * Synchronous invocations per second that one unit of concurrency allows: Lambda caps invoke
 * requests at 10 × concurrency (10 per execution environment per second).
 */
export const INVOCATIONS_PER_SECOND_PER_CONCURRENCY = 10

/**
 * How long an idle environment is kept before it is reclaimed. AWS does not document this; the
 * most recent published measurement (2019) saw environments reclaimed after about 10 minutes
 * idle, older ones 45–60 minutes. Ten minutes is the conservative choice: a pause longer than
 * that costs a cold start locally, as it most likely would on AWS.
 */
export const DEFAULT_IDLE_RECLAIM_MS = 10 * 60 * 1000

/**
 * Time added to every on-demand cold start on top of the bundle's real init time here: what the
 * platform spends before user code runs (sandbox, runtime start). The figure is the average init
 * of a Node 20 hello-world function measured on AWS (240–300 ms, 3rd-party, 2023), taken near
 * its lower end because the real init measured locally already includes Node's own start.
 */
export const DEFAULT_COLD_START_DELAY_MS = 250

/** The init phase may take at most 10 seconds for on-demand environments. */
export const INIT_TIMEOUT_MS = 10_000

/** Synchronous invoke payload limits: 6 MB request, 6 MB response. */
export const MAX_SYNC_PAYLOAD_BYTES = 6 * 1024 * 1024

/** What local functions claim to run on; they deploy on nodejs22.x. */
export const EXECUTION_ENV = 'AWS_Lambda_nodejs22.x'
export const FUNCTION_VERSION = '$LATEST'
