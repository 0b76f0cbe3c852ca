import { setTimeout as delay } from 'node:timers/promises'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { DynamoDbEngine } from '../../../src/local/dynamodb/engine.js'
import { provisionedTable } from '../../support/governed-engine.js'

let engine: DynamoDbEngine
const counts = { opened: 0, closed: 0 }

beforeAll(async () => {
  engine = DynamoDbEngine.open()
  await engine.execute('CreateTable', provisionedTable('items', 100, 100))
  await delay(5)
  for (let index = 0; index < 20; index += 1) {
    await engine.execute('PutItem', {
      TableName: 'items',
      Item: { pk: { S: 'p' }, sk: { S: `s${String(index).padStart(2, '0')}` } },
    })
  }
  // Count every iterator the store hands out, and every one closed.
  const db = engine.store.db as unknown as Record<
    'values' | 'keys',
    (options?: unknown) => { close(): Promise<void> }
  >
  for (const method of ['values', 'keys'] as const) {
    const original = db[method].bind(db)
    db[method] = (options) => {
      const iterator = original(options)
      counts.opened += 1
      const close = iterator.close.bind(iterator)
      iterator.close = () => {
        counts.closed += 1
        return close()
      }
      return iterator
    }
  }
})

afterAll(() => engine.close())

describe("the store's iterators", () => {
  it('are all closed after queries that stop early, full scans and listings', async () => {
    for (let index = 0; index < 30; index += 1) {
      await engine.execute('Query', {
        TableName: 'items',
        KeyConditionExpression: 'pk = :p',
        ExpressionAttributeValues: { ':p': { S: 'p' } },
        Limit: 2,
      })
      await engine.execute('Scan', { TableName: 'items' })
      await engine.execute('ListTables', {})
    }
    await delay(20)
    expect(counts.opened).toBeGreaterThanOrEqual(60)
    expect(counts.closed).toBe(counts.opened)
  })
})
