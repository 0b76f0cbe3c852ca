import {
  DynamoDBClient,
  TransactGetItemsCommand,
  TransactionCanceledException,
  TransactWriteItemsCommand,
} from '@aws-sdk/client-dynamodb'
import { GetCommand, PutCommand } from '@aws-sdk/lib-dynamodb'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { LOCAL_CREDENTIALS, LOCAL_REGION } from '../../../src/local/table-setup.js'
import { type LocalTable, startLocalTable } from '../../support/local-table.js'
import { scanAll } from '../../support/scan.js'

let table: LocalTable
let client: DynamoDBClient

beforeAll(async () => {
  table = await startLocalTable()
  client = new DynamoDBClient({
    endpoint: table.dynamodb.url,
    region: LOCAL_REGION,
    credentials: LOCAL_CREDENTIALS,
  })
})

afterAll(async () => {
  client.destroy()
  await table.close()
})

const key = (pk: string) => ({ pk: { S: pk }, sk: { S: 'item' } })

async function put(pk: string, attributes: Record<string, unknown> = {}) {
  await table.db.send(
    new PutCommand({ TableName: table.tableName, Item: { pk, sk: 'item', ...attributes } }),
  )
}

async function read(pk: string) {
  const { Item } = await table.db.send(
    new GetCommand({ TableName: table.tableName, Key: { pk, sk: 'item' } }),
  )
  return Item
}

async function cancellation(command: TransactWriteItemsCommand) {
  const error = await client.send(command).then(
    () => undefined,
    (thrown: unknown) => thrown,
  )
  expect(error).toBeInstanceOf(TransactionCanceledException)
  return error as TransactionCanceledException
}

describe('TransactWriteItems on the local DynamoDB', () => {
  it('applies every action when every condition holds', async () => {
    await put('tx-a', { count: 1 })
    await client.send(
      new TransactWriteItemsCommand({
        TransactItems: [
          {
            Put: {
              TableName: table.tableName,
              Item: { ...key('tx-b'), v: { S: 'new' } },
              ConditionExpression: 'attribute_not_exists(pk)',
            },
          },
          {
            Update: {
              TableName: table.tableName,
              Key: key('tx-a'),
              UpdateExpression: 'SET #count = #count + :one',
              ConditionExpression: '#count < :limit',
              ExpressionAttributeNames: { '#count': 'count' },
              ExpressionAttributeValues: { ':one': { N: '1' }, ':limit': { N: '5' } },
            },
          },
        ],
      }),
    )
    expect(await read('tx-a')).toMatchObject({ count: 2 })
    expect(await read('tx-b')).toMatchObject({ v: 'new' })
  })

  it('applies nothing when one condition fails, and says which with the old item', async () => {
    await put('tx-c', { count: 5 })
    const before = await scanAll(table.db, table.tableName)
    const error = await cancellation(
      new TransactWriteItemsCommand({
        TransactItems: [
          { Put: { TableName: table.tableName, Item: { ...key('tx-d'), v: { S: 'never' } } } },
          {
            Update: {
              TableName: table.tableName,
              Key: key('tx-c'),
              UpdateExpression: 'SET #count = #count + :one',
              ConditionExpression: '#count < :limit',
              ExpressionAttributeNames: { '#count': 'count' },
              ExpressionAttributeValues: { ':one': { N: '1' }, ':limit': { N: '5' } },
              ReturnValuesOnConditionCheckFailure: 'ALL_OLD',
            },
          },
        ],
      }),
    )
    expect(error.message).toBe(
      'Transaction cancelled, please refer cancellation reasons for specific reasons [None, ConditionalCheckFailed]',
    )
    expect(error.CancellationReasons?.[0]).toEqual({ Code: 'None' })
    expect(error.CancellationReasons?.[1]).toMatchObject({
      Code: 'ConditionalCheckFailed',
      Item: { count: { N: '5' } },
    })
    expect(await scanAll(table.db, table.tableName)).toEqual(before)
  })

  it('evaluates a ConditionCheck without writing the checked item', async () => {
    await put('tx-e', { status: 'open' })
    await client.send(
      new TransactWriteItemsCommand({
        TransactItems: [
          {
            ConditionCheck: {
              TableName: table.tableName,
              Key: key('tx-e'),
              ConditionExpression: '#status = :open',
              ExpressionAttributeNames: { '#status': 'status' },
              ExpressionAttributeValues: { ':open': { S: 'open' } },
            },
          },
          { Put: { TableName: table.tableName, Item: { ...key('tx-f') } } },
        ],
      }),
    )
    expect(await read('tx-e')).toEqual({ pk: 'tx-e', sk: 'item', status: 'open' })
    expect(await read('tx-f')).toBeDefined()
  })

  it('rolls back earlier writes when a later one fails while applying', async () => {
    await put('tx-g', { v: 'kept' })
    await put('tx-h', { v: 'text' })
    const before = await scanAll(table.db, table.tableName)
    const error = await cancellation(
      new TransactWriteItemsCommand({
        TransactItems: [
          {
            Put: { TableName: table.tableName, Item: { ...key('tx-g'), v: { S: 'overwritten' } } },
          },
          {
            Update: {
              TableName: table.tableName,
              Key: key('tx-h'),
              // Adding a number to a string is refused only once the item is being updated.
              UpdateExpression: 'ADD v :one',
              ExpressionAttributeValues: { ':one': { N: '1' } },
            },
          },
        ],
      }),
    )
    expect(error.CancellationReasons?.map((reason) => reason.Code)).toEqual([
      'None',
      'ValidationError',
    ])
    expect(await scanAll(table.db, table.tableName)).toEqual(before)
  })

  it('refuses two actions on one item and an empty or oversized action list', async () => {
    const twice = client.send(
      new TransactWriteItemsCommand({
        TransactItems: [
          { Put: { TableName: table.tableName, Item: key('tx-i') } },
          { Delete: { TableName: table.tableName, Key: key('tx-i') } },
        ],
      }),
    )
    await expect(twice).rejects.toThrow(
      'Transaction request cannot include multiple operations on one item',
    )
    await expect(client.send(new TransactWriteItemsCommand({ TransactItems: [] }))).rejects.toThrow(
      'Member must have length greater than or equal to 1',
    )
    const tooMany = Array.from({ length: 101 }, (_, index) => ({
      Put: { TableName: table.tableName, Item: key(`tx-many-${index}`) },
    }))
    await expect(
      client.send(new TransactWriteItemsCommand({ TransactItems: tooMany })),
    ).rejects.toThrow('Member must have length less than or equal to 100')
    expect(await read('tx-i')).toBeUndefined()
  })

  it('keeps dynalite validation errors for a bad expression and writes nothing', async () => {
    await expect(
      client.send(
        new TransactWriteItemsCommand({
          TransactItems: [
            {
              Put: {
                TableName: table.tableName,
                Item: key('tx-j'),
                ConditionExpression: 'capacity > :zero',
                ExpressionAttributeValues: { ':zero': { N: '0' } },
              },
            },
          ],
        }),
      ),
    ).rejects.toThrow('reserved keyword: capacity')
    expect(await read('tx-j')).toBeUndefined()
  })

  it('answers a repeated ClientRequestToken without writing again, and refuses it for another request', async () => {
    const request = (value: string) =>
      new TransactWriteItemsCommand({
        ClientRequestToken: 'token-1',
        TransactItems: [
          {
            Update: {
              TableName: table.tableName,
              Key: key('tx-k'),
              UpdateExpression: 'ADD hits :one SET v = :v',
              ExpressionAttributeValues: { ':one': { N: '1' }, ':v': { S: value } },
            },
          },
        ],
      })
    await client.send(request('first'))
    await client.send(request('first'))
    expect(await read('tx-k')).toMatchObject({ hits: 1 })
    await expect(client.send(request('second'))).rejects.toMatchObject({
      name: 'IdempotentParameterMismatchException',
    })
  })

  it('charges twice the write units of the same plain writes', async () => {
    const result = await client.send(
      new TransactWriteItemsCommand({
        ReturnConsumedCapacity: 'TOTAL',
        TransactItems: [
          {
            Put: {
              TableName: table.tableName,
              Item: { ...key('tx-l'), blob: { S: 'x'.repeat(1500) } },
            },
          },
          { Put: { TableName: table.tableName, Item: key('tx-m') } },
        ],
      }),
    )
    // 1.5 KB rounds up to 2 write units and a tiny item to 1: (2 + 1) × 2.
    expect(result.ConsumedCapacity).toEqual([{ TableName: table.tableName, CapacityUnits: 6 }])
  })
})

describe('TransactGetItems on the local DynamoDB', () => {
  it('reads several items together at twice the strongly consistent read units', async () => {
    await put('tg-a', { v: 1 })
    await put('tg-b', { v: 2 })
    const result = await client.send(
      new TransactGetItemsCommand({
        ReturnConsumedCapacity: 'TOTAL',
        TransactItems: [
          { Get: { TableName: table.tableName, Key: key('tg-a') } },
          { Get: { TableName: table.tableName, Key: key('tg-missing') } },
          { Get: { TableName: table.tableName, Key: key('tg-b'), ProjectionExpression: 'v' } },
        ],
      }),
    )
    expect(result.Responses).toEqual([
      { Item: { pk: { S: 'tg-a' }, sk: { S: 'item' }, v: { N: '1' } } },
      {},
      { Item: { v: { N: '2' } } },
    ])
    expect(result.ConsumedCapacity).toEqual([{ TableName: table.tableName, CapacityUnits: 6 }])
  })
})
