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
    if (info.errorType !== 'THROTTLING' && info.errorType !== 'TRANSIENT') {
      throw new RetryRefusedError(`${info.errorType} errors are not retried`)
    }
    if (retryCount + 1 >= this.options.maxAttempts) {
      throw new RetryRefusedError(`all ${this.options.maxAttempts} attempts used`)
    }
    const baseMs =
      info.errorType === 'THROTTLING'
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

function token(retryCount: number, delayMs: number, startedAtMs: number): BackoffToken {
  return { startedAtMs, getRetryCount: () => retryCount, getRetryDelay: () => delayMs }
}
