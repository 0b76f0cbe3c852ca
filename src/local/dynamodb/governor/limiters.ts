import type { GovernorConfig, StartingBalance } from './config.js'
import { TokenBucket } from './token-bucket.js'

export type CapacityMode = 'provisioned' | 'on-demand'

/** The last part of a ThrottlingReason, e.g. Table + Write + ProvisionedThroughputExceeded. */
export type LimitType =
  | 'ProvisionedThroughputExceeded'
  | 'KeyRangeThroughputExceeded'
  | 'MaxOnDemandThroughputExceeded'

export interface LimiterState {
  mode: CapacityMode
  /** Provisioned units, or what on-demand serves at once right now. */
  limitUnitsPerSecond: number
  /** Unused capacity available now, burst included; negative while a debt is being repaid. */
  balanceUnits: number
  capacityUnits: number
}

/** Decides whether one resource (a table's or index's reads or writes) takes more requests. */
export interface Limiter {
  readonly mode: CapacityMode
  /** Why a request must be throttled now, or undefined when it may go ahead. */
  refusal(nowMs: number): LimitType | undefined
  /** Takes consumed units (negative: gives back an estimate that was too high). */
  charge(units: number, nowMs: number): void
  state(nowMs: number): LimiterState
  /** Told what was consumed in each completed second. */
  recordSecond(consumedUnits: number, secondEndMs: number): void
  /** Sets the burst balance as a fresh bucket would start; on-demand has none to set. */
  resetBalance(balance: StartingBalance, nowMs: number): void
}

/**
 * Provisioned throughput with burst capacity: the bucket refills at the provisioned rate and
 * holds one second of it plus `burstSeconds` of unused capacity (300 s on AWS).
 */
export class ProvisionedLimiter implements Limiter {
  readonly mode = 'provisioned'
  private readonly bucket: TokenBucket

  constructor(
    private unitsPerSecond: number,
    private readonly burstSeconds: number,
    startingBalance: StartingBalance,
    nowMs: number,
  ) {
    const capacity = bucketCapacity(unitsPerSecond, burstSeconds)
    this.bucket = new TokenBucket(
      unitsPerSecond,
      capacity,
      startingUnits(startingBalance, unitsPerSecond, capacity),
      nowMs,
    )
  }

  get provisionedUnits(): number {
    return this.unitsPerSecond
  }

  /** A new provisioned level (UpdateTable): the balance carries over, cut to the new capacity. */
  setProvisioned(unitsPerSecond: number, nowMs: number): void {
    if (unitsPerSecond === this.unitsPerSecond) return
    this.unitsPerSecond = unitsPerSecond
    this.bucket.reconfigure(
      unitsPerSecond,
      bucketCapacity(unitsPerSecond, this.burstSeconds),
      nowMs,
    )
  }

  refusal(nowMs: number): LimitType | undefined {
    return this.bucket.hasCapacity(nowMs) ? undefined : 'ProvisionedThroughputExceeded'
  }

  charge(units: number, nowMs: number): void {
    this.bucket.take(units, nowMs)
  }

  state(nowMs: number): LimiterState {
    return {
      mode: this.mode,
      limitUnitsPerSecond: this.unitsPerSecond,
      balanceUnits: this.bucket.balanceUnits(nowMs),
      capacityUnits: this.bucket.capacityUnits,
    }
  }

  recordSecond(): void {}

  resetBalance(balance: StartingBalance, nowMs: number): void {
    this.bucket.setBalance(
      startingUnits(balance, this.unitsPerSecond, this.bucket.capacityUnits),
      nowMs,
    )
  }
}

function bucketCapacity(unitsPerSecond: number, burstSeconds: number): number {
  return unitsPerSecond * (1 + burstSeconds)
}

function startingUnits(balance: StartingBalance, unitsPerSecond: number, capacity: number): number {
  if (balance === 'empty') return 0
  if (balance === 'full') return capacity
  return Math.min(capacity, balance * unitsPerSecond)
}

export type OnDemandSettings = GovernorConfig['onDemand']

interface PendingPeak {
  unitsPerSecond: number
  establishedAtMs: number
}

/**
 * On-demand capacity: a table serves its warm throughput at once, and up to `peakMultiplier`
 * times its previous peak; a higher level becomes the previous peak only after it has been
 * reached and `peakWindowSeconds` have passed (AWS: more than twice the previous peak within 30
 * minutes can throttle). An optional maximum (OnDemandThroughput) caps it. Within a second the
 * bucket holds one second of the current limit; on-demand has no burst balance.
 */
export class OnDemandLimiter implements Limiter {
  readonly mode = 'on-demand'
  private readonly bucket: TokenBucket
  private establishedPeakUnits = 0
  private readonly pendingPeaks: PendingPeak[] = []

  constructor(
    private readonly warmUnitsPerSecond: number,
    private readonly settings: OnDemandSettings,
    private maxUnitsPerSecond: number | undefined,
    nowMs: number,
  ) {
    const rate = this.rate()
    this.bucket = new TokenBucket(rate, rate, rate, nowMs)
  }

  /** MaxReadRequestUnits / MaxWriteRequestUnits; undefined (or -1 on the wire) removes the cap. */
  setMax(maxUnitsPerSecond: number | undefined, nowMs: number): void {
    this.maxUnitsPerSecond = maxUnitsPerSecond
    this.reconfigure(nowMs)
  }

  refusal(nowMs: number): LimitType | undefined {
    this.promotePeaks(nowMs)
    if (this.bucket.hasCapacity(nowMs)) return undefined
    const capped =
      this.maxUnitsPerSecond !== undefined && this.maxUnitsPerSecond < this.growthLimit()
    return capped ? 'MaxOnDemandThroughputExceeded' : 'KeyRangeThroughputExceeded'
  }

  charge(units: number, nowMs: number): void {
    this.bucket.take(units, nowMs)
  }

  state(nowMs: number): LimiterState {
    this.promotePeaks(nowMs)
    return {
      mode: this.mode,
      limitUnitsPerSecond: this.rate(),
      balanceUnits: this.bucket.balanceUnits(nowMs),
      capacityUnits: this.bucket.capacityUnits,
    }
  }

  recordSecond(consumedUnits: number, secondEndMs: number): void {
    const highest = this.pendingPeaks.at(-1)?.unitsPerSecond ?? this.establishedPeakUnits
    if (consumedUnits <= highest) return
    this.pendingPeaks.push({
      unitsPerSecond: consumedUnits,
      establishedAtMs: secondEndMs + this.settings.peakWindowSeconds * 1000,
    })
  }

  /** On-demand keeps no burst balance: what it serves at once follows its peaks, not its idle time. */
  resetBalance(): void {}

  private promotePeaks(nowMs: number): void {
    let promoted = false
    while (this.pendingPeaks.length > 0 && (this.pendingPeaks[0]?.establishedAtMs ?? 0) <= nowMs) {
      const peak = this.pendingPeaks.shift()
      if (peak) this.establishedPeakUnits = Math.max(this.establishedPeakUnits, peak.unitsPerSecond)
      promoted = true
    }
    if (promoted) this.reconfigure(nowMs)
  }

  private growthLimit(): number {
    return Math.max(
      this.warmUnitsPerSecond,
      this.settings.peakMultiplier * this.establishedPeakUnits,
    )
  }

  private rate(): number {
    const growth = this.growthLimit()
    return this.maxUnitsPerSecond === undefined ? growth : Math.min(growth, this.maxUnitsPerSecond)
  }

  /** A higher limit serves the difference at once: the second's allowance grows with it. */
  private reconfigure(nowMs: number): void {
    const previous = this.bucket.ratePerSecond
    const rate = this.rate()
    this.bucket.reconfigure(rate, rate, nowMs)
    if (rate > previous) this.bucket.take(previous - rate, nowMs)
  }
}
