/**
 * What the capacity governor costs an admitted request: GetItem latency through the governed
 * endpoint against dynalite's own HTTP server, with the same SDK client code, in one run.
 *
 *   npm run bench:dynamodb [-- --iterations 4000 --rounds 5 --json]
 *
 * Three endpoints: dynalite direct (`require('dynalite')().listen(0)`, the baseline), aplus's
 * wire server calling the engine with no governor, and the full governed endpoint. Rounds
 * alternate between them so that a noisy neighbour on the shared machine hits all alike; each
 * round measures sequential calls (concurrency 1) after a warm-up.
 */
import { parseArgs } from 'node:util'
import { DynamoDBClient, GetItemCommand, PutItemCommand } from '@aws-sdk/client-dynamodb'
import { DynamoDbEngine, SUPPORTED_OPERATIONS } from '../src/local/dynamodb/engine.js'
import { startLocalDynamoDb } from '../src/local/dynamodb/index.js'
import { startDynamoDbServer } from '../src/local/dynamodb/server.js'
import { LOCAL_CREDENTIALS, LOCAL_REGION } from '../src/local/table-setup.js'
import { startDynaliteDirect } from '../test/support/dynalite-direct.js'
import { provisionedTable } from '../test/support/governed-engine.js'

const WARMUP_CALLS = 500
/** A capacity no bench run can exhaust: every request is admitted. */
const AMPLE_UNITS = 40_000

interface Endpoint {
  name: string
  url: string
  close(): Promise<void>
}

const { values } = parseArgs({
  options: {
    iterations: { type: 'string', default: '4000' },
    rounds: { type: 'string', default: '5' },
    json: { type: 'boolean', default: false },
  },
})
const iterations = positiveInteger('iterations', values.iterations)
const rounds = positiveInteger('rounds', values.rounds)

function positiveInteger(name: string, value: string): number {
  const parsed = Number(value)
  if (!Number.isSafeInteger(parsed) || parsed < 1) {
    process.stderr.write(`bench: --${name} must be a whole number of at least 1, got '${value}'\n`)
    process.exit(2)
  }
  return parsed
}

async function startEndpoints(): Promise<Endpoint[]> {
  const direct = await startDynaliteDirect()
  const engine = DynamoDbEngine.open()
  const ungoverned = await startDynamoDbServer({
    handle: (operation, body) => engine.execute(operation, body),
    operations: SUPPORTED_OPERATIONS,
  })
  const governed = await startLocalDynamoDb()
  return [
    { name: 'dynalite direct', url: direct.url, close: direct.close },
    {
      name: 'aplus server, no governor',
      url: ungoverned.url,
      close: async () => {
        await ungoverned.close()
        await engine.close()
      },
    },
    { name: 'aplus governed', url: governed.url, close: governed.close },
  ]
}

function clientFor(url: string): DynamoDBClient {
  return new DynamoDBClient({ endpoint: url, region: LOCAL_REGION, credentials: LOCAL_CREDENTIALS })
}

async function seed(client: DynamoDBClient): Promise<void> {
  const { CreateTableCommand } = await import('@aws-sdk/client-dynamodb')
  await client.send(new CreateTableCommand(provisionedTable('bench', AMPLE_UNITS, AMPLE_UNITS)))
  await new Promise((resolve) => setTimeout(resolve, 20))
  await client.send(
    new PutItemCommand({
      TableName: 'bench',
      Item: { pk: { S: 'course' }, sk: { S: 'profile' }, data: { S: 'x'.repeat(1000) } },
    }),
  )
}

const getItem = new GetItemCommand({
  TableName: 'bench',
  Key: { pk: { S: 'course' }, sk: { S: 'profile' } },
})

async function measure(client: DynamoDBClient, calls: number): Promise<number[]> {
  const latenciesMs: number[] = []
  for (let call = 0; call < calls; call += 1) {
    const startMs = performance.now()
    await client.send(getItem)
    latenciesMs.push(performance.now() - startMs)
  }
  return latenciesMs
}

function percentile(sortedMs: readonly number[], fraction: number): number {
  const index = Math.min(sortedMs.length - 1, Math.floor(fraction * sortedMs.length))
  return sortedMs[index] ?? Number.NaN
}

async function main(): Promise<void> {
  const endpoints = await startEndpoints()
  const clients = endpoints.map((endpoint) => clientFor(endpoint.url))
  try {
    for (const client of clients) {
      await seed(client)
      await measure(client, WARMUP_CALLS)
    }
    const samples = endpoints.map(() => [] as number[])
    for (let round = 1; round <= rounds; round += 1) {
      process.stderr.write(`bench: round ${round}/${rounds}\n`)
      for (const [index, client] of clients.entries()) {
        samples[index]?.push(...(await measure(client, iterations)))
      }
    }
    const results = endpoints.map((endpoint, index) => {
      const sorted = (samples[index] ?? []).sort((a, b) => a - b)
      return {
        endpoint: endpoint.name,
        calls: sorted.length,
        p50Ms: percentile(sorted, 0.5),
        p99Ms: percentile(sorted, 0.99),
      }
    })
    report(results)
  } finally {
    for (const client of clients) client.destroy()
    for (const endpoint of endpoints) await endpoint.close()
  }
}

function report(results: { endpoint: string; calls: number; p50Ms: number; p99Ms: number }[]) {
  const baseline = results[0]
  const governed = results.at(-1)
  if (!baseline || !governed) return
  const summary = {
    operation: 'GetItem, 1 KB item, SDK v3, concurrency 1',
    results,
    governedMinusDirectP50Ms: governed.p50Ms - baseline.p50Ms,
    governedOverDirectP50Ratio: governed.p50Ms / baseline.p50Ms,
  }
  if (values.json) process.stdout.write(`${JSON.stringify(summary, null, 2)}\n`)
  process.stderr.write(`\n${summary.operation}, ${results[0]?.calls} calls each\n`)
  for (const result of results) {
    process.stderr.write(
      `  ${result.endpoint.padEnd(28)} p50 ${result.p50Ms.toFixed(3)} ms   p99 ${result.p99Ms.toFixed(3)} ms\n`,
    )
  }
  process.stderr.write(
    `  governed - direct at p50: ${summary.governedMinusDirectP50Ms.toFixed(3)} ms (ratio ${summary.governedOverDirectP50Ratio.toFixed(3)})\n`,
  )
}

await main()
