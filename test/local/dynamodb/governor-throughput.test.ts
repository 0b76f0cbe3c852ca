import { describe, expect, it } from 'vitest'
import { filler, governedEngine, provisionedTable } from '../../support/governed-engine.js'

const PROVISIONED_UNITS = 25
const WINDOW_SECONDS = 10
/** The client offers a request every 10 ms of simulated time, far more than 25 units allow. */
const OFFER_INTERVAL_MS = 10
const TOLERANCE = 0.05
/** Attribute names and keys add a few bytes: these fillers make items of just under 1, 3, 4 KB. */
const KB_FILLER_BYTES = 1000
const THREE_KB_FILLER_BYTES = 3000
const FOUR_KB_FILLER_BYTES = 4000

type Execute = (operation: string, body: unknown) => Promise<unknown>

interface Scenario {
  kind: 'read' | 'write'
  request: (sequence: number) => { operation: string; body: Record<string, unknown> }
  seed?: (execute: Execute) => Promise<void>
  onAdmitted?: (body: Record<string, unknown>) => void
}

/**
 * Offers requests for WINDOW_SECONDS of simulated time to a table with no burst capacity and an
 * empty bucket, and sums the capacity units the admitted requests report.
 */
async function admittedUnitsPerSecond({ kind, request, seed, onAdmitted }: Scenario) {
  const env = await governedEngine({ burstSeconds: 0, startingBalance: 'empty' })
  const plenty = 100_000
  const read = kind === 'read' ? PROVISIONED_UNITS : plenty
  const write = kind === 'write' ? PROVISIONED_UNITS : plenty
  try {
    await env.createTable(provisionedTable('tbl', read, write))
    // Seeding goes to the engine directly: it is not part of the measured load.
    if (seed) await seed((operation, body) => env.engine.execute(operation, body))
    let units = 0
    let throttled = 0
    const endMs = env.clock.nowMs() + WINDOW_SECONDS * 1000
    for (let sequence = 0; env.clock.nowMs() < endMs; sequence += 1) {
      const { operation, body } = request(sequence)
      const outcome = await env.call(operation, { ...body, ReturnConsumedCapacity: 'TOTAL' })
      if (outcome.ok) {
        units += totalUnits(outcome.body.ConsumedCapacity)
        onAdmitted?.(outcome.body)
      } else if (outcome.error.type === 'ProvisionedThroughputExceededException') {
        throttled += 1
      } else {
        throw outcome.error
      }
      env.clock.advance(OFFER_INTERVAL_MS)
    }
    return { unitsPerSecond: units / WINDOW_SECONDS, throttled }
  } finally {
    await env.close()
  }
}

function totalUnits(consumed: unknown): number {
  const list = (Array.isArray(consumed) ? consumed : [consumed]) as { CapacityUnits: number }[]
  return list.reduce((sum, entry) => sum + entry.CapacityUnits, 0)
}

function expectProvisionedRate({
  unitsPerSecond,
  throttled,
}: {
  unitsPerSecond: number
  throttled: number
}) {
  expect(unitsPerSecond).toBeGreaterThanOrEqual(PROVISIONED_UNITS * (1 - TOLERANCE))
  expect(unitsPerSecond).toBeLessThanOrEqual(PROVISIONED_UNITS * (1 + TOLERANCE))
  expect(throttled).toBeGreaterThan(0)
}

/** Checks every admitted request reported the same units. */
function eachCosts(units: number) {
  return (body: Record<string, unknown>) =>
    expect((body.ConsumedCapacity as { CapacityUnits: number }).CapacityUnits).toBe(units)
}

const put = (key: string, fillerBytes: number) => ({
  operation: 'PutItem',
  body: { TableName: 'tbl', Item: { pk: { S: key }, sk: { S: 's' }, data: filler(fillerBytes) } },
})

const SEEDED_ITEMS = 20
const sortKey = (i: number) => String(i).padStart(4, '0')

const seedItems =
  (count: number, fillerBytes: number, partition: (i: number) => string) =>
  async (execute: Execute) => {
    for (let i = 0; i < count; i += 1) {
      await execute('PutItem', {
        TableName: 'tbl',
        Item: { pk: { S: partition(i) }, sk: { S: sortKey(i) }, data: filler(fillerBytes) },
      })
    }
  }

const getItem = (i: number, consistent: boolean) => ({
  operation: 'GetItem',
  body: {
    TableName: 'tbl',
    Key: { pk: { S: `item-${i % SEEDED_ITEMS}` }, sk: { S: sortKey(i % SEEDED_ITEMS) } },
    ConsistentRead: consistent,
  },
})

describe('sustained throughput on a provisioned table without burst', () => {
  it('admits 1 KB writes at the provisioned write units per second', async () => {
    expectProvisionedRate(
      await admittedUnitsPerSecond({
        kind: 'write',
        request: (i) => put(`w${i}`, KB_FILLER_BYTES),
        onAdmitted: eachCosts(1),
      }),
    )
  })

  it('admits 3 KB writes at the provisioned units, each costing 3 WCU', async () => {
    expectProvisionedRate(
      await admittedUnitsPerSecond({
        kind: 'write',
        request: (i) => put(`w${i}`, THREE_KB_FILLER_BYTES),
        onAdmitted: eachCosts(3),
      }),
    )
  })

  it('admits strongly consistent 4 KB reads at the provisioned read units', async () => {
    expectProvisionedRate(
      await admittedUnitsPerSecond({
        kind: 'read',
        request: (i) => getItem(i, true),
        seed: seedItems(SEEDED_ITEMS, FOUR_KB_FILLER_BYTES, (i) => `item-${i}`),
        onAdmitted: eachCosts(1),
      }),
    )
  })

  it('admits twice as many eventually consistent 4 KB reads for the same units', async () => {
    expectProvisionedRate(
      await admittedUnitsPerSecond({
        kind: 'read',
        request: (i) => getItem(i, false),
        seed: seedItems(SEEDED_ITEMS, FOUR_KB_FILLER_BYTES, (i) => `item-${i}`),
        onAdmitted: eachCosts(0.5),
      }),
    )
  })

  it('admits Query pages at the provisioned read units, each page charged its size', async () => {
    expectProvisionedRate(
      await admittedUnitsPerSecond({
        kind: 'read',
        request: () => ({
          operation: 'Query',
          body: {
            TableName: 'tbl',
            KeyConditionExpression: 'pk = :pk',
            ExpressionAttributeValues: { ':pk': { S: 'course' } },
            Limit: 10,
            ConsistentRead: true,
          },
        }),
        seed: seedItems(30, KB_FILLER_BYTES, () => 'course'),
        // Ten items of about 1 KB: 10 KB, rounded up once to 12 KB, 3 RCU.
        onAdmitted: eachCosts(3),
      }),
    )
  })

  it('admits BatchWriteItem items at the provisioned units, handing back the rest', async () => {
    const batchSize = 25
    let answered = 0
    let unprocessed = 0
    const result = await admittedUnitsPerSecond({
      kind: 'write',
      request: (i) => ({
        operation: 'BatchWriteItem',
        body: {
          RequestItems: {
            tbl: Array.from({ length: batchSize }, (_, j) => ({
              PutRequest: {
                Item: { pk: { S: `b${i}-${j}` }, sk: { S: 's' }, data: filler(KB_FILLER_BYTES) },
              },
            })),
          },
        },
      }),
      onAdmitted: (body) => {
        answered += 1
        unprocessed += (body.UnprocessedItems as Record<string, unknown[]>).tbl?.length ?? 0
      },
    })
    expectProvisionedRate(result)
    // Every item of an answered batch was either written (1 WCU) or handed back.
    expect(unprocessed).toBe(answered * batchSize - result.unitsPerSecond * WINDOW_SECONDS)
    expect(unprocessed).toBeGreaterThan(0)
  })
})
