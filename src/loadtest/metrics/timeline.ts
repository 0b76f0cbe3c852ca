import { LatencyHistogram, roundMs } from './latency-histogram.js'

/** One second of the run, counted by when things happened (seconds from the load's start). */
export interface TimelineSecond {
  /** 0 for the first second of load. */
  second: number
  /** Requests the schedule intended to send in this second (open model; 0 in a closed one). */
  scheduled: number
  sent: number
  dropped: number
  completed: number
  succeeded: number
  failed: number
  timeouts: number
  /** Requests sent and not yet finished when the second closed. */
  inFlight: number
  /** Latency (from intended send) of requests that finished in this second. */
  p50Ms: number
  p99Ms: number
  maxMs: number
}

class Bucket {
  scheduled = 0
  sent = 0
  dropped = 0
  completed = 0
  succeeded = 0
  timeouts = 0
  histogram: LatencyHistogram | undefined
}

/** Per-second counts and latency percentiles, closed one second at a time by the ticker. */
export class Timeline {
  readonly #startAt: number
  readonly #buckets = new Map<number, Bucket>()
  readonly #closed: TimelineSecond[] = []
  #nextToClose = 0

  /** `startAt` is the performance.now() of the load's first instant. */
  constructor(startAt: number) {
    this.#startAt = startAt
  }

  get seconds(): readonly TimelineSecond[] {
    return this.#closed
  }

  #bucketAt(at: number): Bucket {
    // Anything stamped in a second that is already closed lands in the oldest open one.
    const second = Math.max(this.#nextToClose, Math.floor((at - this.#startAt) / 1000))
    let bucket = this.#buckets.get(second)
    if (!bucket) {
      bucket = new Bucket()
      this.#buckets.set(second, bucket)
    }
    return bucket
  }

  scheduled(intendedAt: number): void {
    this.#bucketAt(intendedAt).scheduled += 1
  }

  sent(at: number): void {
    this.#bucketAt(at).sent += 1
  }

  dropped(at: number): void {
    this.#bucketAt(at).dropped += 1
  }

  completed(at: number, latencyMs: number, succeeded: boolean, timedOut: boolean): void {
    const bucket = this.#bucketAt(at)
    bucket.completed += 1
    if (succeeded) bucket.succeeded += 1
    if (timedOut) bucket.timeouts += 1
    bucket.histogram ??= new LatencyHistogram()
    bucket.histogram.recordMs(latencyMs)
  }

  /** Closes every second that ended before `now`; returns the newly closed ones. */
  closeUntil(now: number, inFlight: number): TimelineSecond[] {
    const lastComplete = Math.floor((now - this.#startAt) / 1000) - 1
    return this.#closeThrough(lastComplete, inFlight)
  }

  /** Closes everything recorded so far, including the partial last second. */
  closeAll(inFlight: number): TimelineSecond[] {
    const last = Math.max(this.#nextToClose - 1, ...this.#buckets.keys())
    return this.#closeThrough(last, inFlight)
  }

  #closeThrough(lastSecond: number, inFlight: number): TimelineSecond[] {
    const closedNow: TimelineSecond[] = []
    for (let second = this.#nextToClose; second <= lastSecond; second += 1) {
      const bucket = this.#buckets.get(second) ?? new Bucket()
      this.#buckets.delete(second)
      const histogram = bucket.histogram
      const entry: TimelineSecond = {
        second,
        scheduled: bucket.scheduled,
        sent: bucket.sent,
        dropped: bucket.dropped,
        completed: bucket.completed,
        succeeded: bucket.succeeded,
        failed: bucket.completed - bucket.succeeded,
        timeouts: bucket.timeouts,
        inFlight,
        p50Ms: histogram ? roundMs(histogram.percentileMs(50)) : 0,
        p99Ms: histogram ? roundMs(histogram.percentileMs(99)) : 0,
        maxMs: histogram ? roundMs(histogram.percentileMs(100)) : 0,
      }
      closedNow.push(entry)
      this.#closed.push(entry)
    }
    this.#nextToClose = Math.max(this.#nextToClose, lastSecond + 1)
    return closedNow
  }
}
