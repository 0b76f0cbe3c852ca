import { build, type Histogram } from 'hdr-histogram-js'

/** Percentiles of one latency population, in milliseconds (recorded with microsecond resolution). */
export interface LatencySummary {
  count: number
  mean: number
  min: number
  p50: number
  p90: number
  p95: number
  p99: number
  p99_9: number
  max: number
}

const MICROSECONDS_PER_MS = 1000

/**
 * An HDR histogram of latencies: three significant digits (values within 0.1% of the truth),
 * microsecond resolution, growing as needed, so a 30 s stall costs no precision at 2 ms.
 */
export class LatencyHistogram {
  readonly #histogram: Histogram = build({
    numberOfSignificantValueDigits: 3,
    lowestDiscernibleValue: 1,
    autoResize: true,
  })

  /** Records one latency in ms; negative values (clock adjustments) count as zero. */
  recordMs(latencyMs: number): void {
    this.#histogram.recordValue(Math.max(0, Math.round(latencyMs * MICROSECONDS_PER_MS)))
  }

  get count(): number {
    return this.#histogram.totalCount
  }

  percentileMs(percentile: number): number {
    if (this.count === 0) return 0
    return this.#histogram.getValueAtPercentile(percentile) / MICROSECONDS_PER_MS
  }

  summary(): LatencySummary {
    const histogram = this.#histogram
    if (histogram.totalCount === 0) {
      return { count: 0, mean: 0, min: 0, p50: 0, p90: 0, p95: 0, p99: 0, p99_9: 0, max: 0 }
    }
    const ms = (microseconds: number) => roundMs(microseconds / MICROSECONDS_PER_MS)
    // HDR answers a percentile with the top of its bucket, which can pass the exact maximum by
    // up to 0.1%; capping keeps p99.9 ≤ max in the report.
    const at = (percentile: number) =>
      ms(Math.min(histogram.getValueAtPercentile(percentile), histogram.maxValue))
    return {
      count: histogram.totalCount,
      mean: ms(histogram.mean),
      min: ms(
        histogram.minNonZeroValue === Number.MAX_SAFE_INTEGER ? 0 : histogram.minNonZeroValue,
      ),
      p50: at(50),
      p90: at(90),
      p95: at(95),
      p99: at(99),
      p99_9: at(99.9),
      max: ms(histogram.maxValue),
    }
  }
}

/** Milliseconds to microsecond precision, so JSON stays readable. */
export function roundMs(valueMs: number): number {
  return Math.round(valueMs * 1000) / 1000
}
