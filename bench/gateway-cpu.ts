/**
 * The gateway's own CPU per request, without the Lambda hop: the local HTTP API gateway (routing,
 * payload 2.0 event, account throttle, response mapping) in front of an in-process invoker that
 * answers at once with a trivial function's result, against a bare Node http server answering
 * the same, driven in turns by the load driver of bench/gateway.ts at 8 connections.
 *
 * Throughput on this shared machine swings with what else runs; CPU time per request (this
 * process's user + system time over the requests served) swings less, so small changes to the
 * gateway's request path show here when bench/gateway.ts cannot tell them apart. The ratio is
 * taken within a round, then the median over rounds.
 *
 * Run: `npx tsx bench/gateway-cpu.ts > result.json` (BENCH_SECONDS sets each run's length,
 * default 3; BENCH_ROUNDS the number of rounds, default 5).
 */
import { execFile } from 'node:child_process'
import { createServer } from 'node:http'
import { fileURLToPath } from 'node:url'
import { promisify } from 'node:util'
import { startGateway } from '../src/local/gateway/server.js'
import type { InvokeResult } from '../src/local/lambda/service.js'
import { closeServer, LOOPBACK, listenOnLoopback } from '../src/local/net.js'
import type { DriverResult } from './load-driver.js'
import { median, printTable } from './support.js'

const run = promisify(execFile)
const MEASURE_MS = Number(process.env.BENCH_SECONDS ?? 3) * 1000
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 5)
const CONNECTIONS = 8

const RESULT = {
  statusCode: 200,
  headers: { 'content-type': 'application/json' },
  body: '{"ok":true}',
}
const PAYLOAD = JSON.stringify(RESULT)

interface Measured {
  requestsPerSecond: number
  cpuMicrosecondsPerRequest: number
}

/** Drives `url` and charges this process's CPU time over the run to the requests served. */
async function measure(url: string): Promise<Measured> {
  const driver = fileURLToPath(new URL('./load-driver.ts', import.meta.url))
  const args = [...process.execArgv, driver, url, String(CONNECTIONS)]
  const before = process.cpuUsage()
  const { stdout } = await run(process.execPath, [...args, String(MEASURE_MS)])
  const used = process.cpuUsage(before)
  const result = JSON.parse(stdout) as DriverResult
  if (result.errors > 0 || result.non200 > 0) {
    throw new Error(`${url}: ${result.errors} errors and ${result.non200} non-200 answers`)
  }
  return {
    requestsPerSecond: result.requestsPerSecond,
    cpuMicrosecondsPerRequest: (used.user + used.system) / result.requests,
  }
}

async function main() {
  const bare = createServer((request, response) => {
    request.resume()
    response.writeHead(RESULT.statusCode, RESULT.headers)
    response.end(RESULT.body)
  })
  const barePort = await listenOnLoopback(bare, 0)
  const gateway = await startGateway({
    routes: [{ id: 'bench', method: 'GET', path: '/bench', service: 'health', access: 'none' }],
    functionOf: () => 'bench',
    lambda: {
      // The function would parse the event; the invoker does too, so the event must be valid.
      invoke: async (_functionName, eventJson): Promise<InvokeResult> => {
        JSON.parse(eventJson)
        return { status: 'success', payload: PAYLOAD, requestId: 'bench' }
      },
    },
    throttle: { ratePerSecond: 1_000_000, burst: 1_000_000 },
  })
  const targets = { bare: `http://${LOOPBACK}:${barePort}/bench`, gateway: `${gateway.url}/bench` }
  try {
    // Warm-up: both servers' code reaches its optimized tier before anything is counted.
    await measure(targets.bare)
    await measure(targets.gateway)
    const rounds: { bare: Measured; gateway: Measured }[] = []
    for (let round = 1; round <= ROUNDS; round += 1) {
      const measured = {
        bare: await measure(targets.bare),
        gateway: await measure(targets.gateway),
      }
      process.stderr.write(
        `round ${round} of ${ROUNDS}: bare ${measured.bare.cpuMicrosecondsPerRequest.toFixed(1)} us/request, gateway ${measured.gateway.cpuMicrosecondsPerRequest.toFixed(1)} us/request\n`,
      )
      rounds.push(measured)
    }
    const level = (target: 'bare' | 'gateway') => ({
      requestsPerSecond: median(rounds.map((round) => round[target].requestsPerSecond)),
      cpuMicrosecondsPerRequest: median(
        rounds.map((round) => round[target].cpuMicrosecondsPerRequest),
      ),
    })
    const results = {
      measureSeconds: MEASURE_MS / 1000,
      connections: CONNECTIONS,
      bare: level('bare'),
      gateway: level('gateway'),
      cpuRatio: median(
        rounds.map(
          (round) => round.gateway.cpuMicrosecondsPerRequest / round.bare.cpuMicrosecondsPerRequest,
        ),
      ),
      rounds,
    }
    printTable(
      (['bare', 'gateway'] as const).map((target) => ({
        target,
        'req/s': results[target].requestsPerSecond.toFixed(0),
        'CPU us/request': results[target].cpuMicrosecondsPerRequest.toFixed(1),
      })),
    )
    process.stderr.write(`gateway CPU per request: ${results.cpuRatio.toFixed(2)}x bare\n`)
    process.stdout.write(`${JSON.stringify(results, null, 2)}\n`)
  } finally {
    await closeServer(bare)
    await gateway.close()
  }
}

await main()
