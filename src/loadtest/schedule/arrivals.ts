import { arrivalsIn, type RateSegment, totalDurationMs } from './segments.js'

/**
 * The intended send times of an open-model run, computed in advance from the rate segments and
 * independent of how fast the target answers. Arrival k (from 0) is placed where the cumulative
 * expected count reaches k + 0.5, so a constant 200/s puts arrivals at 2.5 ms, 7.5 ms, ...
 * Times are produced lazily: a long run does not hold millions of numbers.
 */
export class ArrivalSchedule {
  readonly #segments: readonly RateSegment[]
  readonly #endMs: number
  #segmentIndex = 0
  #countBeforeSegment = 0
  #nextArrival = 0

  constructor(segments: readonly RateSegment[]) {
    this.#segments = segments
    this.#endMs = totalDurationMs(segments)
  }

  get durationMs(): number {
    return this.#endMs
  }

  /** The total number of arrivals the schedule holds. */
  get expectedCount(): number {
    const total = this.#segments.reduce((sum, segment) => sum + arrivalsIn(segment), 0)
    return Math.floor(total + 0.5)
  }

  /** The next intended send time in ms from the start, or undefined when the schedule is over. */
  next(): number | undefined {
    const target = this.#nextArrival + 0.5

    let segment = this.#segments[this.#segmentIndex]
    while (segment && this.#countBeforeSegment + arrivalsIn(segment) < target) {
      this.#countBeforeSegment += arrivalsIn(segment)
      this.#segmentIndex += 1
      segment = this.#segments[this.#segmentIndex]
    }
    if (!segment) return undefined

    const offsetMs = segment.startMs + timeToReach(segment, target - this.#countBeforeSegment)
    if (offsetMs >= this.#endMs) return undefined
    this.#nextArrival += 1
    return offsetMs
  }
}

/**
 * Within one segment, the time at which `count` arrivals have accumulated. The count grows as
 * r0·t + (r1 − r0)·t²/(2D); this solves that quadratic in a form that stays exact when r1 = r0.
 */
function timeToReach(segment: RateSegment, count: number): number {
  const fromPerMs = segment.fromRatePerSecond / 1000
  const toPerMs = segment.toRatePerSecond / 1000
  const halfSlope = (toPerMs - fromPerMs) / (2 * segment.durationMs)
  const root = Math.sqrt(Math.max(0, fromPerMs * fromPerMs + 4 * halfSlope * count))
  const denominator = fromPerMs + root
  return denominator > 0 ? (2 * count) / denominator : segment.durationMs
}
