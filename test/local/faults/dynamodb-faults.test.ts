import { DynamoDBClient, GetItemCommand, PutItemCommand } from '@aws-sdk/client-dynamodb'
import { afterEach, describe, expect, it } from 'vitest'
import { type LocalDynamoDb, startLocalDynamoDb } from '../../../src/local/dynamodb/index.js'
import { type FaultsInput, resolveFaults } from '../../../src/local/faults/config.js'
import { DynamoDbFaults } from '../../../src/local/faults/dynamodb.js'
import {
  createProjectTable,
  LOCAL_CREDENTIALS,
  LOCAL_REGION,
} from '../../../src/local/table-setup.js'
import { DEFAULT_CAPACITY } from '../../../src/store/capacity.js'

const TABLE = 'faulty'
const started: { dynamodb: LocalDynamoDb; client: DynamoDBClient }[] = []

afterEach(async () => {
  for (const { dynamodb, client } of started.splice(0)) {
    client.destroy()
    await dynamodb.close()
  }
})

/** A local DynamoDB with the project's table, injecting `faults`, and an SDK client for it. */
async function endpointWith(faults: FaultsInput, maxAttempts = 3) {
  const dynamodb = await startLocalDynamoDb({ faults: resolveFaults(faults) })
  await createProjectTable(dynamodb.url, TABLE, DEFAULT_CAPACITY)
  const client = new DynamoDBClient({
    endpoint: dynamodb.url,
    region: LOCAL_REGION,
    credentials: LOCAL_CREDENTIALS,
    maxAttempts,
  })
  started.push({ dynamodb, client })
  return { dynamodb, client }
}

const key = (id: number) => ({ pk: { S: `item-${id}` }, sk: { S: 'x' } })

/** Sends GetItem one at a time; for each: how many attempts the SDK made, and whether it failed. */
async function sequentialReads(client: DynamoDBClient, count: number) {
  const calls: { attempts: number; failed: string | undefined }[] = []
  for (let id = 0; id < count; id += 1) {
    try {
      const output = await client.send(new GetItemCommand({ TableName: TABLE, Key: key(id) }))
      calls.push({ attempts: output.$metadata.attempts ?? 1, failed: undefined })
    } catch (error) {
      const metadata = (error as { $metadata?: { attempts?: number } }).$metadata
      calls.push({ attempts: metadata?.attempts ?? 1, failed: (error as Error).name })
    }
  }
  return calls
}

/** Faults of one kind the endpoint counted, in its totals and in its per-second metrics. */
async function counted(
  dynamodb: LocalDynamoDb,
  kind: 'internalErrors' | 'unavailable' | 'connectionResets',
) {
  dynamodb.governor.metrics.advance(Date.now() + 1000)
  const perSecond = dynamodb.governor.metrics
    .seconds()
    .reduce((sum, second) => sum + second.faults[kind], 0)
  return { total: dynamodb.faults?.counts[kind] ?? 0, perSecond }
}

describe('injected DynamoDB faults at the wire', () => {
  for (const [setting, kind, errorName] of [
    ['internalErrorRate', 'internalErrors', 'InternalServerError'],
    ['unavailableRate', 'unavailable', 'ServiceUnavailable'],
    ['connectionResetRate', 'connectionResets', 'ECONNRESET'],
  ] as const) {
    it(`answers ${kind} at 30%, which the SDK retries; every injected one is counted`, async () => {
      const { dynamodb, client } = await endpointWith({ seed: 5, dynamodb: { [setting]: 0.3 } })
      const calls = await sequentialReads(client, 40)
      const attempts = calls.reduce((sum, call) => sum + call.attempts, 0)
      const succeeded = calls.filter((call) => call.failed === undefined).length
      // Every attempt that did not succeed was an injected fault.
      const faults = await counted(dynamodb, kind)
      expect(faults.total).toBe(attempts - succeeded)
      expect(faults.perSecond).toBe(faults.total)
      expect(calls.some((call) => call.failed === undefined && call.attempts > 1)).toBe(true)
      expect(succeeded).toBeGreaterThanOrEqual(34)
      for (const call of calls.filter((entry) => entry.failed !== undefined)) {
        expect(call.attempts).toBe(3)
        if (kind !== 'connectionResets') expect(call.failed).toBe(errorName)
      }
    })
  }

  it('reproduces the same faults on the same requests from the same seed', async () => {
    const runWith = async (seed: number) => {
      const { client } = await endpointWith(
        { seed, dynamodb: { internalErrorRate: 0.3, connectionResetRate: 0.1 } },
        1,
      )
      return (await sequentialReads(client, 30)).map((call) => call.failed ?? 'ok')
    }
    const first = await runWith(21)
    expect(await runWith(21)).toEqual(first)
    expect(await runWith(22)).not.toEqual(first)
    expect(first).toContain('InternalServerError')
    expect(first).toContain('ok')
  })

  it('can fail a write after doing it, as a real InternalServerError may', async () => {
    const { client } = await endpointWith(
      { dynamodb: { internalErrorRate: 1, afterWorkShare: 1, operations: ['PutItem'] } },
      1,
    )
    const put = client.send(
      new PutItemCommand({ TableName: TABLE, Item: { ...key(1), note: { S: 'applied' } } }),
    )
    await expect(put).rejects.toThrow(expect.objectContaining({ name: 'InternalServerError' }))
    const read = await client.send(
      new GetItemCommand({ TableName: TABLE, Key: key(1), ConsistentRead: true }),
    )
    expect(read.Item?.note).toEqual({ S: 'applied' })
  })

  it('adds the configured latency to every request and counts it', async () => {
    const { dynamodb, client } = await endpointWith({ dynamodb: { latencyMs: 40 } })
    for (let id = 0; id < 5; id += 1) {
      const startedMs = performance.now()
      await client.send(new GetItemCommand({ TableName: TABLE, Key: key(id) }))
      // Timing is the feature here; the bound is the configured delay alone, generous for a busy machine.
      expect(performance.now() - startedMs).toBeGreaterThanOrEqual(39)
    }
    expect(dynamodb.faults?.counts).toMatchObject({ delayed: 5, addedLatencyMs: 200 })
  })

  it('leaves table management alone unless asked, so a cloud under faults can still start', () => {
    const faults = new DynamoDbFaults(
      resolveFaults({ dynamodb: { internalErrorRate: 1 } }).dynamodb,
      1,
      ['GetItem'],
    )
    expect(faults.applies('GetItem')).toBe(true)
    expect(faults.applies('CreateTable')).toBe(false)
  })

  it('draws latency from a distribution within its bounds, the same way for the same seed', () => {
    const settings = (latencyMs: FaultsInput['dynamodb']) =>
      resolveFaults({ dynamodb: latencyMs }).dynamodb
    const uniform = new DynamoDbFaults(
      settings({ latencyMs: { distribution: 'uniform', minMs: 5, maxMs: 15 } }),
      9,
      [],
    )
    const delays = Array.from({ length: 200 }, () => uniform.decide().delayMs)
    expect(Math.min(...delays)).toBeGreaterThanOrEqual(5)
    expect(Math.max(...delays)).toBeLessThanOrEqual(15)
    const exponential = (seed: number) => {
      const faults = new DynamoDbFaults(
        settings({ latencyMs: { distribution: 'exponential', meanMs: 10 } }),
        seed,
        [],
      )
      return Array.from({ length: 2000 }, () => faults.decide().delayMs)
    }
    const draws = exponential(4)
    const mean = draws.reduce((sum, value) => sum + value, 0) / draws.length
    expect(mean).toBeGreaterThan(9)
    expect(mean).toBeLessThan(11)
    expect(exponential(4)).toEqual(draws)
  })
})
