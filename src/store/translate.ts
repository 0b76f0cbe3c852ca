import { StoreThrottledError } from './errors.js'

/** DynamoDB's exceptions that mean "too much traffic", all answered with HTTP 400 on the wire. */
const THROTTLING_ERRORS = new Set([
  'ProvisionedThroughputExceededException',
  'ThrottlingException',
  'RequestLimitExceeded',
])

/** Cancellation reasons of a transaction that mean "too much traffic, try again". */
const THROTTLING_CANCELLATIONS = new Set([
  'ProvisionedThroughputExceeded',
  'ThrottlingError',
  'TransactionConflict',
])

/**
 * DynamoDB accrues capacity every second, so one second is the soonest a throttled request can
 * expect to pass.
 */
export const THROTTLED_RETRY_AFTER_SECONDS = 1

export interface CancellationReason {
  Code?: string
  Item?: Record<string, unknown>
}

/** The SDK's name for an error, whatever object it is. */
export function errorName(error: unknown): string | undefined {
  return error instanceof Error ? error.name : undefined
}

export function cancellationReasons(error: unknown): CancellationReason[] {
  if (errorName(error) !== 'TransactionCanceledException') return []
  return (error as { CancellationReasons?: CancellationReason[] }).CancellationReasons ?? []
}

/**
 * The single place SDK errors are judged: throttling that outlived the SDK's retries becomes a
 * StoreThrottledError; anything else is rethrown unchanged. Condition failures are decided by
 * each operation, which knows what its conditions mean, before it calls this.
 */
export function translateStoreError(error: unknown): never {
  const name = errorName(error)
  const throttledTransaction = cancellationReasons(error).some((reason) =>
    THROTTLING_CANCELLATIONS.has(reason.Code ?? ''),
  )
  if ((name && THROTTLING_ERRORS.has(name)) || throttledTransaction) {
    throw new StoreThrottledError(THROTTLED_RETRY_AFTER_SECONDS, { cause: error })
  }
  throw error
}
