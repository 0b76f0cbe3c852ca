/** Milliseconds on a monotonic clock; injectable so limits can be tested without waiting. */
export type Clock = () => number

export const monotonicClock: Clock = () => performance.now()

/**
 * A token bucket refilled continuously: `capacity` tokens at most, `refillPerSecond` added per
 * second in proportion to the time passed. Both Lambda's scaling rate and API Gateway's account
 * throttle are described this way.
 */
export class TokenBucket {
  private tokens: number
  private updatedMs: number

  constructor(
    readonly capacity: number,
    readonly refillPerSecond: number,
    private readonly clock: Clock = monotonicClock,
  ) {
    this.tokens = capacity
    this.updatedMs = clock()
  }

  /** Takes one token if there is one; false means the caller is over the limit. */
  tryTake(): boolean {
    this.refill()
    if (this.tokens < 1) return false
    this.tokens -= 1
    return true
  }

  /** Whole tokens available now. */
  available(): number {
    this.refill()
    return Math.floor(this.tokens)
  }

  private refill(): void {
    const nowMs = this.clock()
    const elapsedMs = nowMs - this.updatedMs
    if (elapsedMs <= 0) return
    this.tokens = Math.min(this.capacity, this.tokens + (elapsedMs / 1000) * this.refillPerSecond)
    this.updatedMs = nowMs
  }
}
