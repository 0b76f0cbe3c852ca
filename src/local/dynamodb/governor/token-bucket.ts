/** Balances this close to zero count as empty, so float rounding never admits a free request. */
const EMPTY_EPSILON_UNITS = 1e-9

/**
 * A token bucket of capacity units: it refills continuously at `ratePerSecond` up to
 * `capacityUnits`, and may be drawn below zero. That is how DynamoDB is described as admitting
 * requests: while the balance is positive, charging each what it consumed afterwards, so one
 * large item can leave a debt that later refills repay.
 */
export class TokenBucket {
  private balance: number
  private lastRefillMs: number

  constructor(
    private rate: number,
    private capacity: number,
    startingUnits: number,
    nowMs: number,
  ) {
    this.balance = Math.min(startingUnits, capacity)
    this.lastRefillMs = nowMs
  }

  get ratePerSecond(): number {
    return this.rate
  }

  get capacityUnits(): number {
    return this.capacity
  }

  balanceUnits(nowMs: number): number {
    this.refill(nowMs)
    return this.balance
  }

  hasCapacity(nowMs: number): boolean {
    return this.balanceUnits(nowMs) > EMPTY_EPSILON_UNITS
  }

  /** Draws units (a negative amount gives units back, as when an estimate was too high). */
  take(units: number, nowMs: number): void {
    this.refill(nowMs)
    this.balance = Math.min(this.capacity, this.balance - units)
  }

  /** Sets the balance outright (capped at capacity), as a run that starts afresh needs. */
  setBalance(units: number, nowMs: number): void {
    this.lastRefillMs = nowMs
    this.balance = Math.min(units, this.capacity)
  }

  /** Changes rate and capacity from now on; a balance above the new capacity is cut to it. */
  reconfigure(ratePerSecond: number, capacityUnits: number, nowMs: number): void {
    this.refill(nowMs)
    this.rate = ratePerSecond
    this.capacity = capacityUnits
    this.balance = Math.min(this.balance, capacityUnits)
  }

  private refill(nowMs: number): void {
    const elapsedMs = nowMs - this.lastRefillMs
    if (elapsedMs <= 0) return
    this.lastRefillMs = nowMs
    if (this.balance >= this.capacity) return
    this.balance = Math.min(this.capacity, this.balance + (elapsedMs / 1000) * this.rate)
  }
}
