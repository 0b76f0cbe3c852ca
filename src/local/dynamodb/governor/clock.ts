/** Where the governor reads the time: the system clock, or a clock a test moves by hand. */
export interface Clock {
  /** Milliseconds since the Unix epoch (fractions allowed). */
  nowMs(): number
}

/** Wall-clock time with sub-millisecond resolution, so token buckets refill smoothly. */
export const systemClock: Clock = {
  nowMs: () => performance.timeOrigin + performance.now(),
}

/**
 * A clock that moves only when told: bucket refills, per-second metrics and auto scaling become
 * deterministic, and a ten-second scenario runs in milliseconds.
 */
export class ManualClock implements Clock {
  constructor(private currentMs = 0) {}

  nowMs(): number {
    return this.currentMs
  }

  advance(byMs: number): void {
    if (!(byMs >= 0)) throw new RangeError(`a clock only moves forward, got ${byMs} ms`)
    this.currentMs += byMs
  }
}
