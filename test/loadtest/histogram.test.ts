import { describe, expect, it } from 'vitest'
import { LatencyHistogram } from '../../src/loadtest/metrics/latency-histogram.js'
import { SeededRandom } from '../../src/loadtest/workload/random.js'

/** The exact value at a percentile, ranked by the rule HDR uses (nearest rank, at least 1). */
function exactPercentile(sorted: number[], percentile: number): number {
  const rank = Math.max(1, Math.floor((percentile / 100) * sorted.length + 0.5))
  return sorted[rank - 1] as number
}

describe('the latency histogram', () => {
  it('reports percentiles within 0.1% (three significant digits) of the exact ones', () => {
    const random = new SeededRandom(7)
    for (let trial = 0; trial < 5; trial += 1) {
      const histogram = new LatencyHistogram()
      const values: number[] = []
      for (let index = 0; index < 20_000; index += 1) {
        // Log-uniform from 10 µs to 30 s, whole microseconds: every decade gets traffic.
        const valueMs = Math.round(10 ** (random.next() * 6.5 - 2) * 1000) / 1000
        values.push(valueMs)
        histogram.recordMs(valueMs)
      }
      values.sort((a, b) => a - b)
      for (const percentile of [50, 90, 99, 99.9, 100]) {
        const exact = exactPercentile(values, percentile)
        const reported = histogram.percentileMs(percentile)
        expect(Math.abs(reported - exact)).toBeLessThanOrEqual(exact * 0.001 + 0.001)
      }
    }
  })

  it('summarises an empty population as zeros rather than failing', () => {
    expect(new LatencyHistogram().summary()).toMatchObject({ count: 0, p99: 0, max: 0 })
  })
})
