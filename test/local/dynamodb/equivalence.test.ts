import {
  BatchGetItemCommand,
  BatchWriteItemCommand,
  CreateTableCommand,
  DeleteItemCommand,
  DescribeTableCommand,
  DynamoDBClient,
  GetItemCommand,
  ListTablesCommand,
  PutItemCommand,
  QueryCommand,
  ScanCommand,
  UpdateItemCommand,
} from '@aws-sdk/client-dynamodb'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { type LocalDynamoDb, startLocalDynamoDb } from '../../../src/local/dynamodb/index.js'
import { LOCAL_CREDENTIALS, LOCAL_REGION } from '../../../src/local/table-setup.js'
import { createTableInput } from '../../../src/store/table.js'
import { startDynaliteDirect } from '../../support/dynalite-direct.js'
import { provisionedTable } from '../../support/governed-engine.js'

/** One request: any operation, sent by the client it is given. */
type Send = (client: DynamoDBClient) => Promise<{ $metadata: unknown }>

/** One request, its answer normalised: the body without $metadata, or the error's wire facts. */
async function answer(client: DynamoDBClient, send: Send): Promise<unknown> {
  try {
    const { $metadata: _, ...body } = await send(client)
    return sortBatchResponses(body)
  } catch (error) {
    const failure = error as Error & { $fault: string; $metadata: { httpStatusCode: number } }
    return {
      error: failure.name,
      message: failure.message,
      fault: failure.$fault,
      status: failure.$metadata.httpStatusCode,
    }
  }
}

/** dynalite shuffles BatchGetItem results on purpose; order them to compare. */
function sortBatchResponses(body: Record<string, unknown>) {
  const responses = body.Responses as Record<string, unknown[]> | undefined
  if (!responses) return body
  for (const items of Object.values(responses))
    items.sort((a, b) => (JSON.stringify(a) < JSON.stringify(b) ? -1 : 1))
  return body
}

/** Table descriptions carry ids and timestamps of their own creation. */
function withoutIdentity(body: unknown): unknown {
  return JSON.parse(
    JSON.stringify(body, (key, value) =>
      ['TableId', 'CreationDateTime', 'LastIncreaseDateTime', 'LastDecreaseDateTime'].includes(key)
        ? undefined
        : value,
    ),
  )
}

const item = (pk: string, sk: string, extra: Record<string, unknown> = {}) => ({
  pk: { S: pk },
  sk: { S: sk },
  ...extra,
})

/** A representative request set: every data-plane operation, projections, pages, errors. */
function requests(): [string, Send][] {
  const plain = 'plain'
  const indexed = 'aplus'
  return [
    ['ListTables', (client) => client.send(new ListTablesCommand({}))],
    [
      'PutItem',
      (client) =>
        client.send(
          new PutItemCommand({ TableName: plain, Item: item('a', '1', { n: { N: '1' } }) }),
        ),
    ],
    [
      'PutItem ALL_OLD',
      (client) =>
        client.send(
          new PutItemCommand({
            TableName: plain,
            Item: item('a', '1', { n: { N: '2' } }),
            ReturnValues: 'ALL_OLD',
          }),
        ),
    ],
    [
      'PutItem TOTAL',
      (client) =>
        client.send(
          new PutItemCommand({
            TableName: plain,
            Item: item('a', '2', { s: { S: 'x'.repeat(1500) } }),
            ReturnConsumedCapacity: 'TOTAL',
          }),
        ),
    ],
    [
      'PutItem INDEXES',
      (client) =>
        client.send(
          new PutItemCommand({
            TableName: plain,
            Item: item('b', '1'),
            ReturnConsumedCapacity: 'INDEXES',
          }),
        ),
    ],
    [
      'GetItem projection',
      (client) =>
        client.send(
          new GetItemCommand({ TableName: plain, Key: item('a', '1'), ProjectionExpression: 'n' }),
        ),
    ],
    [
      'GetItem missing',
      (client) =>
        client.send(
          new GetItemCommand({
            TableName: plain,
            Key: item('zz', '1'),
            ConsistentRead: true,
            ReturnConsumedCapacity: 'TOTAL',
          }),
        ),
    ],
    [
      'UpdateItem ALL_NEW',
      (client) =>
        client.send(
          new UpdateItemCommand({
            TableName: plain,
            Key: item('a', '1'),
            UpdateExpression: 'ADD n :one SET t = :t',
            ExpressionAttributeValues: { ':one': { N: '1' }, ':t': { S: 'x' } },
            ReturnValues: 'ALL_NEW',
            ReturnConsumedCapacity: 'INDEXES',
          }),
        ),
    ],
    [
      'UpdateItem condition fails',
      (client) =>
        client.send(
          new UpdateItemCommand({
            TableName: plain,
            Key: item('a', '1'),
            UpdateExpression: 'SET t = :t',
            ConditionExpression: 'n = :zero',
            ExpressionAttributeValues: { ':t': { S: 'y' }, ':zero': { N: '0' } },
          }),
        ),
    ],
    [
      'Query page',
      (client) =>
        client.send(
          new QueryCommand({
            TableName: plain,
            KeyConditionExpression: 'pk = :pk',
            ExpressionAttributeValues: { ':pk': { S: 'a' } },
            Limit: 1,
            ReturnConsumedCapacity: 'TOTAL',
          }),
        ),
    ],
    [
      'Query next page',
      (client) =>
        client.send(
          new QueryCommand({
            TableName: plain,
            KeyConditionExpression: 'pk = :pk',
            ExpressionAttributeValues: { ':pk': { S: 'a' } },
            ExclusiveStartKey: item('a', '1'),
            ConsistentRead: true,
            ReturnConsumedCapacity: 'INDEXES',
          }),
        ),
    ],
    [
      'Scan filter',
      (client) =>
        client.send(
          new ScanCommand({
            TableName: plain,
            FilterExpression: 'attribute_exists(t)',
            ReturnConsumedCapacity: 'TOTAL',
          }),
        ),
    ],
    ['Scan count', (client) => client.send(new ScanCommand({ TableName: plain, Select: 'COUNT' }))],
    [
      'BatchWriteItem',
      (client) =>
        client.send(
          new BatchWriteItemCommand({
            RequestItems: {
              [plain]: [
                { PutRequest: { Item: item('c', '1') } },
                { DeleteRequest: { Key: item('b', '1') } },
              ],
            },
            ReturnConsumedCapacity: 'TOTAL',
          }),
        ),
    ],
    [
      'BatchGetItem',
      (client) =>
        client.send(
          new BatchGetItemCommand({
            RequestItems: {
              [plain]: { Keys: [item('a', '1'), item('a', '2'), item('c', '1'), item('q', '9')] },
            },
            ReturnConsumedCapacity: 'INDEXES',
          }),
        ),
    ],
    [
      'DeleteItem ALL_OLD',
      (client) =>
        client.send(
          new DeleteItemCommand({
            TableName: plain,
            Key: item('c', '1'),
            ReturnValues: 'ALL_OLD',
            ReturnConsumedCapacity: 'TOTAL',
          }),
        ),
    ],
    [
      'PutItem indexed',
      (client) =>
        client.send(
          new PutItemCommand({
            TableName: indexed,
            Item: {
              pk: { S: 'COURSE#1' },
              sk: { S: '#COURSE' },
              gsi1pk: { S: 'COURSES' },
              gsi1sk: { S: '1' },
              title: { S: 'T' },
              secret: { S: 's' },
            },
          }),
        ),
    ],
    [
      'Query index',
      (client) =>
        client.send(
          new QueryCommand({
            TableName: indexed,
            IndexName: 'gsi1',
            KeyConditionExpression: 'gsi1pk = :p',
            ExpressionAttributeValues: { ':p': { S: 'COURSES' } },
            ReturnConsumedCapacity: 'INDEXES',
          }),
        ),
    ],
    [
      'Query index, consistent',
      (client) =>
        client.send(
          new QueryCommand({
            TableName: indexed,
            IndexName: 'gsi1',
            KeyConditionExpression: 'gsi1pk = :p',
            ExpressionAttributeValues: { ':p': { S: 'COURSES' } },
            ConsistentRead: true,
          }),
        ),
    ],
    [
      'Query unknown index',
      (client) =>
        client.send(
          new QueryCommand({
            TableName: indexed,
            IndexName: 'nope',
            KeyConditionExpression: 'pk = :p',
            ExpressionAttributeValues: { ':p': { S: 'x' } },
          }),
        ),
    ],
    [
      'GetItem missing table',
      (client) => client.send(new GetItemCommand({ TableName: 'missing', Key: item('a', '1') })),
    ],
    [
      'PutItem wrong key type',
      (client) =>
        client.send(
          new PutItemCommand({ TableName: plain, Item: { pk: { N: '1' }, sk: { S: '1' } } }),
        ),
    ],
    [
      'PutItem missing key',
      (client) => client.send(new PutItemCommand({ TableName: plain, Item: { pk: { S: '1' } } })),
    ],
    [
      'Query bad expression',
      (client) =>
        client.send(
          new QueryCommand({
            TableName: plain,
            KeyConditionExpression: 'pk = = :pk',
            ExpressionAttributeValues: { ':pk': { S: 'a' } },
          }),
        ),
    ],
    [
      'UpdateItem bad expression',
      (client) =>
        client.send(
          new UpdateItemCommand({ TableName: plain, Key: item('a', '1'), UpdateExpression: 'SET' }),
        ),
    ],
    [
      'BatchWriteItem duplicate keys',
      (client) =>
        client.send(
          new BatchWriteItemCommand({
            RequestItems: {
              [plain]: [
                { PutRequest: { Item: item('d', '1') } },
                { PutRequest: { Item: item('d', '1') } },
              ],
            },
          }),
        ),
    ],
    ['DescribeTable', (client) => client.send(new DescribeTableCommand({ TableName: plain }))],
  ]
}

describe('admitted requests through the governor and straight to dynalite', () => {
  let governed: LocalDynamoDb
  let direct: Awaited<ReturnType<typeof startDynaliteDirect>>
  const clients: DynamoDBClient[] = []

  const clientFor = (endpoint: string) => {
    const client = new DynamoDBClient({
      endpoint,
      region: LOCAL_REGION,
      credentials: LOCAL_CREDENTIALS,
      maxAttempts: 1,
    })
    clients.push(client)
    return client
  }

  beforeAll(async () => {
    governed = await startLocalDynamoDb()
    direct = await startDynaliteDirect()
  })
  afterAll(async () => {
    for (const client of clients) client.destroy()
    await governed.close()
    await direct.close()
  })

  it('get the same answers, errors included', async () => {
    const answers: Record<string, unknown>[] = []
    for (const endpoint of [governed.url, direct.url]) {
      const client = clientFor(endpoint)
      const results: Record<string, unknown> = {}
      results.createPlain = withoutIdentity(
        await answer(client, (client) =>
          client.send(new CreateTableCommand(provisionedTable('plain', 1000, 1000))),
        ),
      )
      const capacity = { readUnits: 1000, writeUnits: 1000 }
      results.createIndexed = withoutIdentity(
        await answer(client, (client) =>
          client.send(
            new CreateTableCommand(
              createTableInput('aplus', { mode: 'provisioned', table: capacity, index: capacity }),
            ),
          ),
        ),
      )
      await new Promise((resolve) => setTimeout(resolve, 20))
      for (const [name, command] of requests()) {
        results[name] =
          name === 'DescribeTable'
            ? withoutIdentity(await answer(client, command))
            : await answer(client, command)
      }
      answers.push(results)
    }
    const [throughGovernor, straight] = answers
    expect(throughGovernor).toEqual(straight)
    // The set covers answers and errors alike.
    const values = Object.values(straight ?? {}) as { error?: string }[]
    expect(values.filter((value) => value.error).length).toBeGreaterThanOrEqual(8)
  })

  it('differ only in the index units dynalite does not report, when the caller asks for them', async () => {
    const put = (endpoint: string, sk: string) =>
      answer(clientFor(endpoint), (client) =>
        client.send(
          new PutItemCommand({
            TableName: 'aplus',
            Item: {
              pk: { S: 'COURSE#9' },
              sk: { S: sk },
              gsi1pk: { S: 'COURSES' },
              gsi1sk: { S: '9' },
            },
            ReturnConsumedCapacity: 'INDEXES',
          }),
        ),
      )
    expect(await put(direct.url, '#A')).toEqual({
      ConsumedCapacity: { TableName: 'aplus', CapacityUnits: 1, Table: { CapacityUnits: 1 } },
    })
    expect(await put(governed.url, '#A')).toEqual({
      ConsumedCapacity: {
        TableName: 'aplus',
        CapacityUnits: 2,
        Table: { CapacityUnits: 1 },
        GlobalSecondaryIndexes: { gsi1: { CapacityUnits: 1 } },
      },
    })
  })
})
