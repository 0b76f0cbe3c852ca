import type { RetryErrorInfo, RetryStrategyV2, RetryToken } from '@smithy/types'

export interface BackoffRetryOptions {
  /** Attempts in all, the first included. */
  maxAttempts: number
  /**
   * Full-jitter exponential backoff: retry n waits a random time up to
   * min(capDelayMs, base × 2^n), with one base for throttling errors and one for transient ones.
   */
  throttlingBaseDelayMs: number
  transientBaseDelayMs: number
  capDelayMs: number
  /** When set, no retry starts later than this after the first attempt: below the caller's deadline. */
  budgetMs?: number
  /**
   * Retry a transaction DynamoDB cancelled only for lack of capacity (or a conflicting
   * transaction) as a throttle. The SDK classifies every TransactionCanceledException as the
   * client's error and never retries it, so without this a throttled transaction fails at once.
   */
  retryThrottledTransactions?: boolean
  random?: () => number
  nowMs?: () => number
}

/** Why a retry was refused; the SDK then throws the last error it saw. */
export class RetryRefusedError extends Error {
  override readonly name = 'RetryRefusedError'
}

interface BackoffToken extends RetryToken {
  readonly startedAtMs: number
}

/**
 * Retries throttling and transient errors with full-jitter exponential backoff, optionally
 * within a time budget, so a request either succeeds in time or fails while there is still time
 * to answer 503 with Retry-After. It keeps no retry quota across requests: attempts (and the
 * budget) bound each request, and every execution environment has its own client anyway.
 */
export class BackoffRetryStrategy implements RetryStrategyV2 {
  readonly mode = 'backoff'
  private readonly random: () => number
  private readonly nowMs: () => number

  constructor(private readonly options: BackoffRetryOptions) {
    this.random = options.random ?? Math.random
    this.nowMs = options.nowMs ?? Date.now
  }

  async acquireInitialRetryToken(): Promise<BackoffToken> {
    return token(0, 0, this.nowMs())
  }

  async refreshRetryTokenForRetry(
    previous: RetryToken,
    info: RetryErrorInfo,
  ): Promise<BackoffToken> {
    const { startedAtMs } = previous as BackoffToken
    const retryCount = previous.getRetryCount()
    const errorType =
      this.options.retryThrottledTransactions && isThrottledTransaction(info.error)
        ? 'THROTTLING'
        : info.errorType
    if (errorType !== 'THROTTLING' && errorType !== 'TRANSIENT') {
      throw new RetryRefusedError(`${errorType} errors are not retried`)
    }
    if (retryCount + 1 >= this.options.maxAttempts) {
      throw new RetryRefusedError(`all ${this.options.maxAttempts} attempts used`)
    }
    const baseMs =
      errorType === 'THROTTLING'
        ? this.options.throttlingBaseDelayMs
        : this.options.transientBaseDelayMs
    const delayMs = Math.floor(
      this.random() * Math.min(this.options.capDelayMs, baseMs * 2 ** retryCount),
    )
    const { budgetMs } = this.options
    if (budgetMs !== undefined && this.nowMs() - startedAtMs + delayMs > budgetMs) {
      throw new RetryRefusedError(`the ${budgetMs} ms budget is spent`)
    }
    return token(retryCount + 1, delayMs, startedAtMs)
  }

  recordSuccess(): void {}
}

/** Cancellation reasons that mean "try again later", not "your conditions failed". */
const RETRYABLE_CANCELLATIONS = new Set([
  'ProvisionedThroughputExceeded',
  'ThrottlingError',
  'TransactionConflict',
])

/** A transaction cancelled only for capacity or a conflict: every reason is one of those or None. */
export function isThrottledTransaction(error: unknown): boolean {
  if (!(error instanceof Error) || error.name !== 'TransactionCanceledException') return false
  const reasons = (error as { CancellationReasons?: { Code?: string }[] }).CancellationReasons ?? []
  const codes = reasons.map((reason) => reason.Code ?? 'None').filter((code) => code !== 'None')
  return codes.length > 0 && codes.every((code) => RETRYABLE_CANCELLATIONS.has(code))
}

function token(retryCount: number, delayMs: number, startedAtMs: number): BackoffToken {
  return { startedAtMs, getRetryCount: () => retryCount, getRetryDelay: () => delayMs }
}
