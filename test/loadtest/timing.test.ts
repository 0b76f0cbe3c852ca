import { monitorEventLoopDelay } from 'node:perf_hooks'
import { afterEach, describe, expect, it } from 'vitest'
import { LoadTest, type ResponseRecord } from '../../src/loadtest/index.js'
import { scenarioOf } from './helpers.js'
import { startDelayServer, type TestServer } from './servers.js'

// Timing is the feature under test here, so these tests assert on time, with bounds wide enough
// for two cores shared with other test suites (load averages of 10 were seen): modest rates
// (200/s), a few seconds each. The lower bounds carry the claims; the upper ones catch nonsense
// and grow by twice the longest stall of this process's event loop during the run (a request can
// be held once on its way to the server and once on its way back).

let server: TestServer | undefined
afterEach(async () => {
  await server?.close()
  server = undefined
})

const RATE_PER_SECOND = 200

function exactPercentile(values: number[], percentile: number): number {
  const sorted = [...values].sort((a, b) => a - b)
  const rank = Math.max(1, Math.floor((percentile / 100) * sorted.length + 0.5))
  return sorted[rank - 1] as number
}

/**
 * Runs the load with the event loop's own delays measured: the servers live in this process,
 * so when the machine stalls it, every latency grows by that much, and the upper bounds below
 * allow exactly that (the worst stall seen), nothing more.
 */
async function runAgainst(url: string, durationSeconds: number, connections: number) {
  const loopDelay = monitorEventLoopDelay({ resolution: 5 })
  loopDelay.enable()
  const test = new LoadTest({
    baseUrl: url,
    scenario: scenarioOf({
      load: {
        model: 'open',
        phases: [{ type: 'constant', ratePerSecond: RATE_PER_SECOND, durationSeconds }],
      },
      connections,
      mix: [{ request: 'listCourses', weight: 1 }],
    }),
  })
  const records: ResponseRecord[] = []
  test.on('response', (record) => records.push(record))
  const result = await test.run()
  loopDelay.disable()
  return { result, records, stalledMs: loopDelay.max / 1e6 }
}

describe('measuring a target with a known latency', () => {
  it('reports its percentiles within histogram precision, and the arrival rate within 2%', async () => {
    // Nine requests in ten take 4 ms, the tenth 20 ms.
    server = await startDelayServer({ delayMs: (index) => (index % 10 === 9 ? 20 : 4) })
    const { result, records, stalledMs } = await runAgainst(server.url, 3, 64)

    expect(result.overall.requests).toBe(600)
    expect(result.overall.failed).toBe(0)
    const success = result.overall.latencyMs.success
    const corrected = records.map((record) => record.latencyMs)
    for (const [percentile, reported] of [
      [50, success.p50],
      [90, success.p90],
      [99, success.p99],
    ] as const) {
      const exact = exactPercentile(corrected, percentile)
      expect(Math.abs(reported - exact)).toBeLessThanOrEqual(exact * 0.001 + 0.001)
    }
    const uncorrected = result.overall.latencyMs.successUncorrected
    expect(uncorrected.p50).toBeGreaterThanOrEqual(4)
    expect(uncorrected.p50).toBeLessThan(4 + 6 + 2 * stalledMs)
    expect(uncorrected.p99).toBeGreaterThanOrEqual(20)
    expect(uncorrected.p99).toBeLessThan(20 + 15 + 2 * stalledMs)

    expect(Math.abs(result.load.achievedRatePerSecond - RATE_PER_SECOND)).toBeLessThanOrEqual(
      RATE_PER_SECOND * 0.02,
    )
    const arrivals = server.arrivals
    const serverRate =
      (arrivals.length - 1) / (((arrivals.at(-1) as number) - (arrivals[0] as number)) / 1000)
    expect(Math.abs(serverRate - RATE_PER_SECOND)).toBeLessThanOrEqual(RATE_PER_SECOND * 0.02)
    for (const second of result.timeline.slice(0, 3))
      expect(second.sent).toBeGreaterThanOrEqual(180)
  })

  it('shows a one-second stall in the corrected percentiles, as wrk2 does, while the naive ones hide it', async () => {
    const stallMs = 1000
    // 2 ms per request, then nothing answers for one second, 1.5 s into the run.
    server = await startDelayServer({ delayMs: () => 2, stall: { atMs: 1500, forMs: stallMs } })
    // Few connections, like a pool of workers: requests queue behind the stalled ones.
    const { result, stalledMs } = await runAgainst(server.url, 4, 8)

    expect(result.overall.failed).toBe(0)
    const corrected = result.overall.latencyMs.success
    const naive = result.overall.latencyMs.successUncorrected
    // A quarter of the 800 requests arrive during the stall, so their latencies spread evenly
    // over 0..1000 ms: p99 is at 96% of the stall and p90 at 60% (wrk2's arithmetic).
    expect(corrected.p99).toBeGreaterThan(0.85 * stallMs)
    expect(corrected.p99).toBeLessThan(1.15 * stallMs + 2 * stalledMs)
    expect(corrected.p90).toBeGreaterThan(0.45 * stallMs)
    expect(corrected.p90).toBeLessThan(0.8 * stallMs + 2 * stalledMs)
    // Measured from the send, only the 8 requests caught on a socket see the stall.
    expect(naive.p90).toBeLessThan(50 + 2 * stalledMs)
    expect(naive.max).toBeGreaterThan(0.8 * stallMs)
    expect(corrected.p90 / naive.p90).toBeGreaterThan(5)
  })
})
