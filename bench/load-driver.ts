/**
 * A closed-loop HTTP load driver, run as its own process so it never shares an event loop with
 * the server it measures: `connections` loops each send one GET, wait for the whole response,
 * and send the next, until `durationMs` has passed. Prints one JSON line: requests, errors,
 * non-200 answers, throughput and latency percentiles in milliseconds (sub-millisecond, from
 * performance.now()).
 *
 * Usage: tsx bench/load-driver.ts URL CONNECTIONS DURATION_MS
 * (BENCH_AUTHORIZATION, when set, is sent as every request's Authorization header.)
 */
import { Pool } from 'undici'

export interface DriverResult {
  connections: number
  durationMs: number
  requests: number
  errors: number
  non200: number
  requestsPerSecond: number
  latencyMs: { p50: number; p90: number; p99: number; max: number }
}

async function drive(url: URL, connections: number, durationMs: number): Promise<DriverResult> {
  const pool = new Pool(url.origin, { connections, pipelining: 1 })
  const latenciesMs: number[] = []
  let errors = 0
  let non200 = 0
  const startedMs = performance.now()
  const deadlineMs = startedMs + durationMs
  const authorization = process.env.BENCH_AUTHORIZATION
  const headers = authorization ? { authorization } : {}
  const loop = async () => {
    while (performance.now() < deadlineMs) {
      const sentMs = performance.now()
      try {
        const response = await pool.request({
          path: url.pathname + url.search,
          method: 'GET',
          headers,
        })
        await response.body.text()
        if (response.statusCode !== 200) non200 += 1
        latenciesMs.push(performance.now() - sentMs)
      } catch {
        errors += 1
      }
    }
  }
  await Promise.all(Array.from({ length: connections }, loop))
  const elapsedMs = performance.now() - startedMs
  await pool.close()
  latenciesMs.sort((a, b) => a - b)
  const rank = (fraction: number) =>
    latenciesMs[Math.max(0, Math.ceil(fraction * latenciesMs.length) - 1)] ?? Number.NaN
  return {
    connections,
    durationMs: elapsedMs,
    requests: latenciesMs.length,
    errors,
    non200,
    requestsPerSecond: (latenciesMs.length / elapsedMs) * 1000,
    latencyMs: { p50: rank(0.5), p90: rank(0.9), p99: rank(0.99), max: rank(1) },
  }
}

const [url, connections, durationMs] = process.argv.slice(2)
if (!url || !connections || !durationMs) {
  process.stderr.write('usage: load-driver.ts URL CONNECTIONS DURATION_MS\n')
  process.exit(2)
}
const result = await drive(new URL(url), Number(connections), Number(durationMs))
process.stdout.write(`${JSON.stringify(result)}\n`)
