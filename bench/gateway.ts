/**
 * What the local gateway and its execution environments add to a request, against a baseline
 * measured in the same run on the same machine:
 *
 * (a) bare: a plain Node http server that calls the handler directly, in its own process;
 * (b) gateway: the local HTTP API gateway (routing, payload 2.0 event, account throttle,
 *     concurrency admission, timeline) invoking the same handler in warm execution environments.
 *
 * A trivial handler, so the figure is the emulator's own cost. Each target is measured at 50
 * connections (throughput, and latency under load) and at 1 connection (latency without
 * queueing, where "added latency" is read), twice, alternating a and b to spread the machine's
 * noise. The load driver runs in a separate process (bench/load-driver.ts, undici).
 *
 * Run: `npm run bench:gateway` (BENCH_SECONDS sets each measurement's length, default 5).
 */
import { execFile } from 'node:child_process'
import { mkdtemp, rm, writeFile } from 'node:fs/promises'
import { createServer } from 'node:http'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath, pathToFileURL } from 'node:url'
import { promisify } from 'node:util'
import type { RouteDefinition } from '../src/api/routes.js'
import { startGateway } from '../src/local/gateway/server.js'
import { LambdaService } from '../src/local/lambda/service.js'
import { closeServer, LOOPBACK, listenOnLoopback } from '../src/local/net.js'
import type { DriverResult } from './load-driver.js'
import { median, printTable } from './support.js'

const run = promisify(execFile)
const MEASURE_MS = Number(process.env.BENCH_SECONDS ?? 5) * 1000
const WARM_UP_MS = 2000
const LOADED_CONNECTIONS = 50
const MODERATE_CONNECTIONS = 8
const ROUNDS = 3

const HANDLER = `export const handler = async () => ({
  statusCode: 200,
  headers: { 'content-type': 'application/json' },
  body: '{"ok":true}',
})
`

type Handler = (
  event: unknown,
) => Promise<{ statusCode: number; headers: Record<string, string>; body: string }>

async function drive(url: string, connections: number, durationMs: number): Promise<DriverResult> {
  const driver = fileURLToPath(new URL('./load-driver.ts', import.meta.url))
  const { stdout } = await run(process.execPath, [
    ...process.execArgv,
    driver,
    url,
    String(connections),
    String(durationMs),
  ])
  return JSON.parse(stdout) as DriverResult
}

async function startBare(handler: Handler) {
  const server = createServer((request, response) => {
    request.resume()
    void handler({}).then((result) => {
      response.writeHead(result.statusCode, result.headers)
      response.end(result.body)
    })
  })
  const port = await listenOnLoopback(server, 0)
  return { url: `http://${LOOPBACK}:${port}/hello`, close: () => closeServer(server) }
}

async function startLocalGateway(bundleFile: string) {
  const lambda = await LambdaService.start({
    functions: [{ name: 'hello', bundleFile, memoryMb: 128, timeoutSeconds: 3 }],
    coldStartDelayMs: 0,
    // AWS's limits (10 invokes per second per unit of concurrency, 10,000 rps at the gateway)
    // would throttle a fast loopback run; this measures the emulator's cost, not those limits.
    account: { accountConcurrency: 100_000 },
  })
  const route: RouteDefinition = {
    id: 'hello',
    method: 'GET',
    path: '/hello',
    service: 'health',
    access: 'none',
  }
  const gateway = await startGateway({
    routes: [route],
    functionOf: () => 'hello',
    lambda,
    throttle: { ratePerSecond: 1_000_000, burst: 1_000_000 },
  })
  return {
    url: `${gateway.url}/hello`,
    lambda,
    async close() {
      await gateway.close()
      await lambda.close()
    },
  }
}

async function measure(label: string, url: string) {
  await drive(url, LOADED_CONNECTIONS, WARM_UP_MS)
  const loaded = await drive(url, LOADED_CONNECTIONS, MEASURE_MS)
  const moderate = await drive(url, MODERATE_CONNECTIONS, MEASURE_MS)
  const single = await drive(url, 1, MEASURE_MS)
  for (const result of [loaded, moderate, single]) {
    if (result.errors > 0 || result.non200 > 0) {
      throw new Error(`${label}: ${result.errors} errors and ${result.non200} non-200 answers`)
    }
  }
  process.stderr.write(
    `  ${label}: ${loaded.requestsPerSecond.toFixed(0)} req/s at ${LOADED_CONNECTIONS} connections, ${moderate.requestsPerSecond.toFixed(0)} at ${MODERATE_CONNECTIONS}, p50 ${single.latencyMs.p50.toFixed(3)} ms at 1\n`,
  )
  return { loaded, moderate, single }
}

async function main() {
  const workDir = await mkdtemp(join(tmpdir(), 'aplus-bench-gateway-'))
  const bundleFile = join(workDir, 'index.mjs')
  await writeFile(bundleFile, HANDLER)
  const { handler } = (await import(pathToFileURL(bundleFile).href)) as { handler: Handler }
  const bare = await startBare(handler)
  const gateway = await startLocalGateway(bundleFile)
  try {
    const runs: {
      bare: Awaited<ReturnType<typeof measure>>
      gateway: Awaited<ReturnType<typeof measure>>
    }[] = []
    for (let round = 1; round <= ROUNDS; round += 1) {
      process.stderr.write(`round ${round} of ${ROUNDS} (${MEASURE_MS / 1000} s per measurement)\n`)
      runs.push({
        bare: await measure('bare', bare.url),
        gateway: await measure('gateway', gateway.url),
      })
    }
    // Ratios and differences are taken within each round (a then b, minutes apart at most), then
    // the median over rounds: the machine's load drifts more between rounds than within one.
    type Measured = Awaited<ReturnType<typeof measure>>
    const perRound = (get: (bare: Measured, gateway: Measured) => number) =>
      median(runs.map((round) => get(round.bare, round.gateway)))
    const level = (target: 'bare' | 'gateway', get: (m: Measured) => number) =>
      median(runs.map((round) => get(round[target])))
    const summary = {
      measureSeconds: MEASURE_MS / 1000,
      rounds: ROUNDS,
      environmentsAfterRun: gateway.lambda.environments('hello'),
      bare: {
        requestsPerSecondAt50: level('bare', (m) => m.loaded.requestsPerSecond),
        requestsPerSecondAt8: level('bare', (m) => m.moderate.requestsPerSecond),
        p50MsAt1: level('bare', (m) => m.single.latencyMs.p50),
        p99MsAt1: level('bare', (m) => m.single.latencyMs.p99),
      },
      gateway: {
        requestsPerSecondAt50: level('gateway', (m) => m.loaded.requestsPerSecond),
        requestsPerSecondAt8: level('gateway', (m) => m.moderate.requestsPerSecond),
        p50MsAt1: level('gateway', (m) => m.single.latencyMs.p50),
        p99MsAt1: level('gateway', (m) => m.single.latencyMs.p99),
      },
      throughputRatioAt50: perRound(
        (b, g) => g.loaded.requestsPerSecond / b.loaded.requestsPerSecond,
      ),
      throughputRatioAt8: perRound(
        (b, g) => g.moderate.requestsPerSecond / b.moderate.requestsPerSecond,
      ),
      addedLatencyMsAt1: {
        p50: perRound((b, g) => g.single.latencyMs.p50 - b.single.latencyMs.p50),
        p99: perRound((b, g) => g.single.latencyMs.p99 - b.single.latencyMs.p99),
      },
      runs,
    }
    const row = (target: 'bare' | 'gateway') => ({
      target,
      'req/s @50': summary[target].requestsPerSecondAt50.toFixed(0),
      'req/s @8': summary[target].requestsPerSecondAt8.toFixed(0),
      'p50 ms @1': summary[target].p50MsAt1.toFixed(3),
      'p99 ms @1': summary[target].p99MsAt1.toFixed(3),
    })
    printTable([row('bare'), row('gateway')])
    process.stderr.write(
      `throughput ratio ${summary.throughputRatioAt50.toFixed(2)} at 50 connections, ${summary.throughputRatioAt8.toFixed(2)} at 8 (goal >= 0.5); added latency at 1 connection p50 ${summary.addedLatencyMsAt1.p50.toFixed(3)} ms (goal < 1), p99 ${summary.addedLatencyMsAt1.p99.toFixed(3)} ms; ${summary.environmentsAfterRun.total} environments\n`,
    )
    process.stdout.write(`${JSON.stringify(summary, null, 2)}\n`)
  } finally {
    await bare.close()
    await gateway.close()
    await rm(workDir, { recursive: true, force: true })
  }
}

await main()
