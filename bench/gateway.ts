/**
 * What the local gateway and its execution environments add to a request, against a baseline
 * measured in the same run on the same machine:
 *
 * (a) bare: a plain Node http server that calls the handler directly, in this process;
 * (b) gateway: the local HTTP API gateway (routing, payload 2.0 event, account throttle,
 *     concurrency admission, timeline events) invoking the same handler in warm execution
 *     environments (worker threads).
 *
 * Two handlers: `trivial` (returns a constant: the emulator's own cost, nothing to hide it) and
 * `getitem` (one DynamoDB GetItem through the AWS SDK against the local endpoint: what an A+
 * read route does). Each is measured at 50 and 8 connections (throughput) and at 1 connection
 * (latency without queueing, where added latency is read), in rounds alternating a and b; ratios
 * are taken within a round, then the median over rounds. The load driver is a separate process
 * (bench/load-driver.ts, undici).
 *
 * Run: `npm run -s bench:gateway > result.json` (BENCH_SECONDS sets each measurement's length,
 * default 5; progress and the table go to stderr).
 */
import { execFile } from 'node:child_process'
import { mkdir, rm, writeFile } from 'node:fs/promises'
import { createServer } from 'node:http'
import { join } from 'node:path'
import { fileURLToPath, pathToFileURL } from 'node:url'
import { promisify } from 'node:util'
import { PutItemCommand } from '@aws-sdk/client-dynamodb'
import type { RouteDefinition } from '../src/api/routes.js'
import { startLocalDynamoDb } from '../src/local/dynamodb/index.js'
import { startGateway } from '../src/local/gateway/server.js'
import { LambdaService } from '../src/local/lambda/service.js'
import { closeServer, LOOPBACK, listenOnLoopback } from '../src/local/net.js'
import {
  createProjectTable,
  LOCAL_CREDENTIALS,
  LOCAL_REGION,
  localAdminClient,
} from '../src/local/table-setup.js'
import { PACKAGE_ROOT } from '../src/topology/bundle.js'
import type { DriverResult } from './load-driver.js'
import { median, printTable } from './support.js'

const run = promisify(execFile)
const MEASURE_MS = Number(process.env.BENCH_SECONDS ?? 5) * 1000
const WARM_UP_MS = Number(process.env.BENCH_WARM_UP_SECONDS ?? 5) * 1000
const ROUNDS = 3
const CONNECTIONS = { loaded: 50, moderate: 8, single: 1 } as const

const HANDLERS = {
  trivial: `export const handler = async () => ({
  statusCode: 200,
  headers: { 'content-type': 'application/json' },
  body: '{"ok":true}',
})
`,
  getitem: `import { DynamoDBClient, GetItemCommand } from '@aws-sdk/client-dynamodb'
const client = new DynamoDBClient({})
export const handler = async () => {
  const { Item } = await client.send(new GetItemCommand({
    TableName: process.env.TABLE_NAME,
    Key: { pk: { S: 'BENCH' }, sk: { S: 'ITEM' } },
  }))
  return { statusCode: 200, headers: { 'content-type': 'application/json' }, body: JSON.stringify(Item) }
}
`,
}
type Scenario = keyof typeof HANDLERS

type Handler = (
  event: unknown,
) => Promise<{ statusCode: number; headers: Record<string, string>; body: string }>

interface Target {
  url: string
  close(): Promise<void>
}

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

async function startBare(handler: Handler): Promise<Target> {
  const server = createServer((request, response) => {
    request.resume()
    void handler({}).then((result) => {
      response.writeHead(result.statusCode, result.headers)
      response.end(result.body)
    })
  })
  const port = await listenOnLoopback(server, 0)
  return { url: `http://${LOOPBACK}:${port}/bench`, close: () => closeServer(server) }
}

async function startLocalGateway(
  bundleFile: string,
  environment: Record<string, string>,
): Promise<Target> {
  const lambda = await LambdaService.start({
    functions: [{ name: 'bench', bundleFile, memoryMb: 128, timeoutSeconds: 3, environment }],
    coldStartDelayMs: 0,
    // AWS's limits (10 invokes per second per unit of concurrency, 10,000 rps at the gateway)
    // would throttle a fast loopback run; this measures the emulator's cost, not those limits.
    account: { accountConcurrency: 100_000 },
  })
  const route: RouteDefinition = {
    id: 'bench',
    method: 'GET',
    path: '/bench',
    service: 'health',
    access: 'none',
  }
  const gateway = await startGateway({
    routes: [route],
    functionOf: () => 'bench',
    lambda,
    throttle: { ratePerSecond: 1_000_000, burst: 1_000_000 },
  })
  return {
    url: `${gateway.url}/bench`,
    async close() {
      await gateway.close()
      await lambda.close()
    },
  }
}

/**
 * Warm-up and the 8- and 1-connection runs come first, on at most 8 environments; the run at 50
 * connections comes last because it starts up to 42 more, whose code starts with a cold JIT
 * (every environment is its own V8 isolate, as every Lambda environment is its own process).
 */
async function measure(label: string, url: string) {
  await drive(url, CONNECTIONS.moderate, WARM_UP_MS)
  const moderate = await drive(url, CONNECTIONS.moderate, MEASURE_MS)
  const single = await drive(url, CONNECTIONS.single, MEASURE_MS)
  const loaded = await drive(url, CONNECTIONS.loaded, MEASURE_MS)
  for (const result of [loaded, moderate, single]) {
    if (result.errors > 0 || result.non200 > 0) {
      throw new Error(`${label}: ${result.errors} errors and ${result.non200} non-200 answers`)
    }
  }
  process.stderr.write(
    `  ${label}: ${moderate.requestsPerSecond.toFixed(0)} req/s at 8 connections, ${loaded.requestsPerSecond.toFixed(0)} at 50, p50 ${single.latencyMs.p50.toFixed(3)} ms at 1\n`,
  )
  return { loaded, moderate, single }
}

type Measured = Awaited<ReturnType<typeof measure>>

function summarize(runs: { bare: Measured; gateway: Measured }[]) {
  const perRound = (get: (bare: Measured, gateway: Measured) => number) =>
    median(runs.map((round) => get(round.bare, round.gateway)))
  const level = (target: 'bare' | 'gateway') => ({
    requestsPerSecondAt50: median(runs.map((round) => round[target].loaded.requestsPerSecond)),
    requestsPerSecondAt8: median(runs.map((round) => round[target].moderate.requestsPerSecond)),
    p50MsAt1: median(runs.map((round) => round[target].single.latencyMs.p50)),
    p99MsAt1: median(runs.map((round) => round[target].single.latencyMs.p99)),
  })
  return {
    bare: level('bare'),
    gateway: level('gateway'),
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
}

async function scenario(name: Scenario, workDir: string, environment: Record<string, string>) {
  const bundleFile = join(workDir, name, 'index.mjs')
  await mkdir(join(workDir, name), { recursive: true })
  await writeFile(bundleFile, HANDLERS[name])
  // The bare server runs the handler in this process, so it reads the same variables here.
  Object.assign(process.env, environment)
  const { handler } = (await import(pathToFileURL(bundleFile).href)) as { handler: Handler }
  const bare = await startBare(handler)
  const gateway = await startLocalGateway(bundleFile, environment)
  try {
    const runs = []
    for (let round = 1; round <= ROUNDS; round += 1) {
      process.stderr.write(`${name}, round ${round} of ${ROUNDS}\n`)
      runs.push({
        bare: await measure('bare', bare.url),
        gateway: await measure('gateway', gateway.url),
      })
    }
    return summarize(runs)
  } finally {
    await bare.close()
    await gateway.close()
  }
}

async function main() {
  // The bench runs on Node 20; the SDK's notice that its 2027 releases need Node 22 is known.
  process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true'
  // Inside the package, so the getitem handler resolves @aws-sdk from node_modules.
  const workDir = join(PACKAGE_ROOT, '.aplus', 'bench-gateway')
  const dynamodb = await startLocalDynamoDb()
  try {
    await createProjectTable(dynamodb.url, 'bench', { mode: 'on-demand' })
    const admin = localAdminClient(dynamodb.url)
    await admin.send(
      new PutItemCommand({
        TableName: 'bench',
        Item: { pk: { S: 'BENCH' }, sk: { S: 'ITEM' }, title: { S: 'a small item' } },
      }),
    )
    admin.destroy()
    const environment = {
      TABLE_NAME: 'bench',
      AWS_REGION: LOCAL_REGION,
      AWS_ENDPOINT_URL_DYNAMODB: dynamodb.url,
      AWS_ACCESS_KEY_ID: LOCAL_CREDENTIALS.accessKeyId,
      AWS_SECRET_ACCESS_KEY: LOCAL_CREDENTIALS.secretAccessKey,
    }
    process.stderr.write(`${(MEASURE_MS / 1000).toFixed(0)} s per measurement\n`)
    const results = {
      measureSeconds: MEASURE_MS / 1000,
      rounds: ROUNDS,
      trivial: await scenario('trivial', workDir, environment),
      getitem: await scenario('getitem', workDir, environment),
    }
    const rows = (['trivial', 'getitem'] as const).flatMap((name) =>
      (['bare', 'gateway'] as const).map((target) => ({
        handler: name,
        target,
        'req/s @50': results[name][target].requestsPerSecondAt50.toFixed(0),
        'req/s @8': results[name][target].requestsPerSecondAt8.toFixed(0),
        'p50 ms @1': results[name][target].p50MsAt1.toFixed(3),
        'p99 ms @1': results[name][target].p99MsAt1.toFixed(3),
      })),
    )
    printTable(rows)
    for (const name of ['trivial', 'getitem'] as const) {
      const result = results[name]
      process.stderr.write(
        `${name}: throughput ratio ${result.throughputRatioAt50.toFixed(2)} at 50 connections, ${result.throughputRatioAt8.toFixed(2)} at 8 (goal >= 0.5); added p50 latency ${result.addedLatencyMsAt1.p50.toFixed(3)} ms (goal < 1), p99 ${result.addedLatencyMsAt1.p99.toFixed(3)} ms\n`,
      )
    }
    process.stdout.write(`${JSON.stringify(results, null, 2)}\n`)
  } finally {
    await dynamodb.close()
    await rm(workDir, { recursive: true, force: true })
  }
}

await main()
