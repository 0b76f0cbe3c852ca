import { setTimeout as delay } from 'node:timers/promises'
import { describe, expect, it } from 'vitest'
import { DynamoDbEngine } from '../../../src/local/dynamodb/engine.js'
import { DynamoDbServiceError } from '../../../src/local/dynamodb/errors.js'
import { provisionedTable } from '../../support/governed-engine.js'

describe('closing the engine while it works', () => {
  it('lets the operations under way answer, then closes, refusing new ones as unavailable', async () => {
    const engine = DynamoDbEngine.open()
    await engine.execute('CreateTable', provisionedTable('items', 100, 100))
    await delay(5)
    const item = (index: number) => ({ pk: { S: 'p' }, sk: { S: `s${index}` } })
    const writes = Array.from({ length: 20 }, (_, index) =>
      engine.execute('PutItem', { TableName: 'items', Item: item(index) }),
    )
    const queries = Array.from({ length: 20 }, () =>
      engine.execute('Query', {
        TableName: 'items',
        KeyConditionExpression: 'pk = :p',
        ExpressionAttributeValues: { ':p': { S: 'p' } },
      }),
    )
    const closed = engine.close()
    const late = engine
      .execute('GetItem', { TableName: 'items', Key: item(0) })
      .catch((error: unknown) => error)

    const settled = await Promise.allSettled([...writes, ...queries])
    expect(settled.every((outcome) => outcome.status === 'fulfilled')).toBe(true)
    expect(await late).toBeInstanceOf(DynamoDbServiceError)
    expect(await late).toMatchObject({ statusCode: 503 })
    await closed
  })
})
