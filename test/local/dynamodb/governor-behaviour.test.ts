import { afterEach, describe, expect, it } from 'vitest'
import { createTableInput } from '../../../src/store/table.js'
import { filler, governedEngine, provisionedTable } from '../../support/governed-engine.js'

type Env = Awaited<ReturnType<typeof governedEngine>>
let env: Env | undefined

afterEach(async () => {
  await env?.close()
  env = undefined
})

async function start(config: Parameters<typeof governedEngine>[0] = {}) {
  env = await governedEngine(config)
  return env
}

const TABLE_ARN = 'arn:aws:dynamodb:us-east-1:000000000000:table/aplus'
const INDEX_ARN = `${TABLE_ARN}/index/gsi1`

const course = (id: string, extra: Record<string, unknown> = {}) => ({
  pk: { S: `COURSE#${id}` },
  sk: { S: '#COURSE' },
  gsi1pk: { S: 'COURSES' },
  gsi1sk: { S: `2026#${id}` },
  title: { S: `Course ${id}` },
  ...extra,
})

async function projectTable(index: { readUnits: number; writeUnits: number }) {
  const table = { readUnits: 100, writeUnits: 100 }
  const active = env as Env
  await active.createTable(createTableInput('aplus', { mode: 'provisioned', table, index }))
}

describe('the capacity governor', () => {
  it('throttles a table write with the exact AWS error, ThrottlingReasons naming the table', async () => {
    const { createTable, call } = await start({ burstSeconds: 0, startingBalance: 'empty' })
    await createTable(provisionedTable('tbl', 5, 1))
    const outcome = await call('PutItem', {
      TableName: 'tbl',
      Item: { pk: { S: 'a' }, sk: { S: 'b' } },
    })
    if (outcome.ok) throw new Error('expected a throttle')
    expect(outcome.error.statusCode).toBe(400)
    expect(outcome.error.body).toEqual({
      __type: 'com.amazonaws.dynamodb.v20120810#ProvisionedThroughputExceededException',
      message:
        'The level of configured provisioned throughput for the table was exceeded. Consider increasing your provisioning level with the UpdateTable API.',
      ThrottlingReasons: [
        {
          reason: 'TableWriteProvisionedThroughputExceeded',
          resource: 'arn:aws:dynamodb:us-east-1:000000000000:table/tbl',
        },
      ],
    })
  })

  it('throttles a base-table write when its global index lacks write capacity, naming the index', async () => {
    const { createTable, call, clock } = await start({ burstSeconds: 0, startingBalance: 'full' })
    await createTable(
      createTableInput('aplus', {
        mode: 'provisioned',
        table: { readUnits: 100, writeUnits: 100 },
        index: { readUnits: 100, writeUnits: 1 },
      }),
    )
    expect((await call('PutItem', { TableName: 'aplus', Item: course('1') })).ok).toBe(true)
    const second = await call('PutItem', { TableName: 'aplus', Item: course('2') })
    if (second.ok) throw new Error('expected the index to throttle the write')
    expect(second.error.type).toBe('ProvisionedThroughputExceededException')
    expect(second.error.message).toContain('one or more global secondary indexes')
    expect(second.error.body.ThrottlingReasons).toEqual([
      { reason: 'IndexWriteProvisionedThroughputExceeded', resource: INDEX_ARN },
    ])
    // The throttled write did nothing: the item is absent from the table and the index.
    const stored = await env?.engine.execute('GetItem', {
      TableName: 'aplus',
      Key: { pk: course('2').pk, sk: course('2').sk },
    })
    expect(stored?.Item).toBeUndefined()
    clock.advance(1000)
    expect((await call('PutItem', { TableName: 'aplus', Item: course('2') })).ok).toBe(true)
  })

  it('charges index writes only for items in the index, and only projected changes', async () => {
    const { call } = await start()
    await projectTable({ readUnits: 100, writeUnits: 100 })
    const put = await call('PutItem', {
      TableName: 'aplus',
      Item: course('1'),
      ReturnConsumedCapacity: 'INDEXES',
    })
    expect(put.ok && put.body.ConsumedCapacity).toEqual({
      TableName: 'aplus',
      CapacityUnits: 2,
      Table: { CapacityUnits: 1 },
      GlobalSecondaryIndexes: { gsi1: { CapacityUnits: 1 } },
    })
    const bumpSeats = await call('UpdateItem', {
      TableName: 'aplus',
      Key: { pk: course('1').pk, sk: course('1').sk },
      UpdateExpression: 'ADD seatsTaken :one',
      ExpressionAttributeValues: { ':one': { N: '1' } },
      ReturnConsumedCapacity: 'INDEXES',
    })
    expect(bumpSeats.ok && bumpSeats.body.ConsumedCapacity).toEqual({
      TableName: 'aplus',
      CapacityUnits: 1,
      Table: { CapacityUnits: 1 },
    })
  })

  it('hands the caller ConsumedCapacity only in the shape it asked for', async () => {
    const { call } = await start()
    await projectTable({ readUnits: 100, writeUnits: 100 })
    const shapes = []
    for (const ReturnConsumedCapacity of [undefined, 'NONE', 'TOTAL', 'INDEXES']) {
      const outcome = await call('PutItem', {
        TableName: 'aplus',
        Item: course('1', { title: { S: `v${ReturnConsumedCapacity}` } }),
        ...(ReturnConsumedCapacity ? { ReturnConsumedCapacity } : {}),
      })
      shapes.push(outcome.ok ? outcome.body.ConsumedCapacity : 'error')
    }
    expect(shapes).toEqual([
      undefined,
      undefined,
      { TableName: 'aplus', CapacityUnits: 2 },
      {
        TableName: 'aplus',
        CapacityUnits: 2,
        Table: { CapacityUnits: 1 },
        GlobalSecondaryIndexes: { gsi1: { CapacityUnits: 1 } },
      },
    ])
  })

  it('charges index queries to the index read bucket, throttling with an index reason', async () => {
    const { call, engine } = await start({ burstSeconds: 0, startingBalance: 'full' })
    await projectTable({ readUnits: 1, writeUnits: 100 })
    await engine.execute('PutItem', { TableName: 'aplus', Item: course('1') })
    const query = {
      TableName: 'aplus',
      IndexName: 'gsi1',
      KeyConditionExpression: 'gsi1pk = :pk',
      ExpressionAttributeValues: { ':pk': { S: 'COURSES' } },
    }
    expect((await call('Query', query)).ok).toBe(true)
    expect((await call('Query', query)).ok).toBe(true)
    const third = await call('Query', query)
    expect(third.ok ? undefined : third.error.body.ThrottlingReasons).toEqual([
      { reason: 'IndexReadProvisionedThroughputExceeded', resource: INDEX_ARN },
    ])
  })

  it('does no work for a throttled UpdateItem and leaves the item as it was', async () => {
    const { createTable, call, engine } = await start({ burstSeconds: 0, startingBalance: 'empty' })
    await createTable(provisionedTable('tbl', 5, 1))
    const key = { pk: { S: 'a' }, sk: { S: 'b' } }
    await engine.execute('PutItem', { TableName: 'tbl', Item: { ...key, n: { N: '1' } } })
    const outcome = await call('UpdateItem', {
      TableName: 'tbl',
      Key: key,
      UpdateExpression: 'SET n = :n',
      ExpressionAttributeValues: { ':n': { N: '2' } },
    })
    expect(outcome.ok).toBe(false)
    const stored = await engine.execute('GetItem', { TableName: 'tbl', Key: key })
    expect(stored.Item).toEqual({ ...key, n: { N: '1' } })
  })

  it('keeps validation errors for invalid requests even when the table is out of capacity', async () => {
    const { createTable, call } = await start({ burstSeconds: 0, startingBalance: 'empty' })
    await createTable(provisionedTable('tbl', 1, 1))
    const badKey = await call('GetItem', {
      TableName: 'tbl',
      Key: { pk: { N: '1' }, sk: { S: 'b' } },
    })
    expect(badKey.ok ? '' : badKey.error.type).toBe('ValidationException')
    const badCapacity = await call('GetItem', {
      TableName: 'tbl',
      Key: { pk: { S: 'a' }, sk: { S: 'b' } },
      ReturnConsumedCapacity: 'SOME',
    })
    expect(badCapacity.ok ? '' : badCapacity.error.type).toBe('ValidationException')
    const missing = await call('GetItem', { TableName: 'nope', Key: { pk: { S: 'a' } } })
    expect(missing.ok ? '' : missing.error.type).toBe('ResourceNotFoundException')
    const put = { PutRequest: { Item: { pk: { S: 'a' }, sk: { S: 'b' } } } }
    const duplicates = await call('BatchWriteItem', { RequestItems: { tbl: [put, put] } })
    expect(duplicates.ok ? '' : duplicates.error.message).toBe(
      'Provided list of item keys contains duplicates',
    )
  })

  it('charges a failed conditional write one unit when the item does not exist', async () => {
    const { createTable, call, governor } = await start({
      burstSeconds: 0,
      startingBalance: 'full',
    })
    await createTable(provisionedTable('tbl', 5, 3))
    const outcome = await call('PutItem', {
      TableName: 'tbl',
      Item: { pk: { S: 'a' }, sk: { S: 'b' }, data: filler(2500) },
      ConditionExpression: 'attribute_exists(pk)',
    })
    expect(outcome.ok ? '' : outcome.error.type).toBe('ConditionalCheckFailedException')
    const write = governor.snapshot().tables[0]?.resources[0]?.write
    expect(write?.balanceUnits).toBeCloseTo(2)
  })

  it('answers a partly throttled BatchGetItem with 200 and the rest as UnprocessedKeys', async () => {
    const { createTable, call, engine } = await start({ burstSeconds: 0, startingBalance: 'full' })
    await createTable(provisionedTable('tbl', 2, 100))
    const keys = ['a', 'b', 'c', 'd', 'e', 'f'].map((pk) => ({ pk: { S: pk }, sk: { S: 's' } }))
    for (const key of keys) await engine.execute('PutItem', { TableName: 'tbl', Item: key })
    const outcome = await call('BatchGetItem', {
      RequestItems: { tbl: { Keys: keys, ProjectionExpression: 'pk' } },
    })
    if (!outcome.ok) throw outcome.error
    const returned = (outcome.body.Responses as Record<string, unknown[]>).tbl ?? []
    const unprocessed = (outcome.body.UnprocessedKeys as Record<string, { Keys: unknown[] }>).tbl
    // 2 RCU full bucket, 0.5 RCU per eventually consistent read: four reads, two handed back.
    expect(returned).toHaveLength(4)
    expect(unprocessed?.Keys).toEqual(keys.slice(4))
    expect(unprocessed).toMatchObject({ ProjectionExpression: 'pk' })
    const again = await call('BatchGetItem', { RequestItems: { tbl: { Keys: keys } } })
    expect(again.ok ? '' : again.error.type).toBe('ProvisionedThroughputExceededException')
  })

  it('cancels a TransactWriteItems that lacks capacity, naming the actions that lacked it', async () => {
    const { createTable, call, engine } = await start({ burstSeconds: 0, startingBalance: 'full' })
    await createTable(provisionedTable('roomy', 100, 100))
    await createTable(provisionedTable('tight', 100, 1))
    const outcome = await call('TransactWriteItems', {
      TransactItems: [
        { Put: { TableName: 'roomy', Item: { pk: { S: 'a' }, sk: { S: 's' } } } },
        { Put: { TableName: 'tight', Item: { pk: { S: 'b' }, sk: { S: 's' } } } },
      ],
    })
    // 2 WCU a transactional write: the 1 WCU table admits it once its bucket is positive.
    expect(outcome.ok).toBe(true)
    const second = await call('TransactWriteItems', {
      TransactItems: [
        { Put: { TableName: 'roomy', Item: { pk: { S: 'c' }, sk: { S: 's' } } } },
        { Put: { TableName: 'tight', Item: { pk: { S: 'd' }, sk: { S: 's' } } } },
      ],
    })
    if (second.ok) throw new Error('expected a cancellation')
    expect(second.error.type).toBe('TransactionCanceledException')
    expect(second.error.body.CancellationReasons).toEqual([
      { Code: 'None' },
      {
        Code: 'ProvisionedThroughputExceeded',
        Message:
          'The level of configured provisioned throughput for the table was exceeded. Consider increasing your provisioning level with the UpdateTable API.',
      },
    ])
    const roomy = await engine.execute('GetItem', {
      TableName: 'roomy',
      Key: { pk: { S: 'c' }, sk: { S: 's' } },
    })
    expect(roomy.Item).toBeUndefined()
  })

  it('answers a transaction whose condition fails as DynamoDB does, Message and all', async () => {
    const { createTable, call } = await start()
    await createTable(provisionedTable('tbl', 100, 100))
    const outcome = await call('TransactWriteItems', {
      TransactItems: [
        { Put: { TableName: 'tbl', Item: { pk: { S: 'a' }, sk: { S: 's' } } } },
        {
          ConditionCheck: {
            TableName: 'tbl',
            Key: { pk: { S: 'b' }, sk: { S: 's' } },
            ConditionExpression: 'attribute_exists(pk)',
          },
        },
      ],
    })
    expect(outcome.ok ? undefined : outcome.error.body).toEqual({
      __type: 'com.amazonaws.dynamodb.v20120810#TransactionCanceledException',
      CancellationReasons: [
        { Code: 'None' },
        { Code: 'ConditionalCheckFailed', Message: 'The conditional request failed' },
      ],
      Message:
        'Transaction cancelled, please refer cancellation reasons for specific reasons [None, ConditionalCheckFailed]',
    })
  })

  it('applies UpdateTable capacity at run time once the table is ACTIVE again', async () => {
    const { createTable, call, governor } = await start({
      burstSeconds: 0,
      startingBalance: 'full',
    })
    await createTable(provisionedTable('tbl', 5, 1))
    const updated = await call('UpdateTable', {
      TableName: 'tbl',
      ProvisionedThroughput: { ReadCapacityUnits: 5, WriteCapacityUnits: 50 },
    })
    expect(updated.ok).toBe(true)
    await new Promise((resolve) => setTimeout(resolve, 5))
    await governor.tick()
    const write = governor.snapshot().tables[0]?.resources[0]?.write
    expect(write?.limitUnitsPerSecond).toBe(50)
  })

  it('serves an on-demand table its warm throughput and throttles with ThrottlingException beyond', async () => {
    const { createTable, call } = await start({ onDemand: { warmWriteUnitsPerSecond: 3 } })
    const { ProvisionedThroughput: _, ...table } = provisionedTable('odt', 1, 1)
    await createTable({ ...table, BillingMode: 'PAY_PER_REQUEST' })
    const put = (pk: string) =>
      call('PutItem', { TableName: 'odt', Item: { pk: { S: pk }, sk: { S: 's' } } })
    for (const pk of ['a', 'b', 'c']) expect((await put(pk)).ok).toBe(true)
    const fourth = await put('d')
    if (fourth.ok) throw new Error('expected a throttle')
    expect(fourth.error.body.__type).toBe('com.amazonaws.dynamodb.v20120810#ThrottlingException')
    expect(fourth.error.message).toContain('Throughput exceeds the current capacity of your table')
    expect(fourth.error.body.throttlingReasons).toEqual([
      {
        reason: 'TableWriteKeyRangeThroughputExceeded',
        resource: 'arn:aws:dynamodb:us-east-1:000000000000:table/odt',
      },
    ])
  })

  it('enforces OnDemandThroughput set by CreateTable and reports it in DescribeTable', async () => {
    const { createTable, call } = await start()
    const { ProvisionedThroughput: _, ...table } = provisionedTable('capped', 1, 1)
    await createTable({
      ...table,
      BillingMode: 'PAY_PER_REQUEST',
      OnDemandThroughput: { MaxReadRequestUnits: 2, MaxWriteRequestUnits: 1 },
    })
    const described = await call('DescribeTable', { TableName: 'capped' })
    expect(
      described.ok && (described.body.Table as Record<string, unknown>).OnDemandThroughput,
    ).toEqual({
      MaxReadRequestUnits: 2,
      MaxWriteRequestUnits: 1,
    })
    const put = (pk: string) =>
      call('PutItem', { TableName: 'capped', Item: { pk: { S: pk }, sk: { S: 's' } } })
    expect((await put('a')).ok).toBe(true)
    const second = await put('b')
    expect(second.ok ? undefined : second.error.body.throttlingReasons).toEqual([
      {
        reason: 'TableWriteMaxOnDemandThroughputExceeded',
        resource: 'arn:aws:dynamodb:us-east-1:000000000000:table/capped',
      },
    ])
    const raised = await call('UpdateTable', {
      TableName: 'capped',
      OnDemandThroughput: { MaxWriteRequestUnits: -1 },
    })
    expect(raised.ok).toBe(true)
    expect((await put('b')).ok).toBe(true)
  })

  it('rejects an OnDemandThroughput that is not -1 or a positive whole number', async () => {
    const { createTable, call } = await start()
    const { ProvisionedThroughput: _, ...table } = provisionedTable('od2', 1, 1)
    await createTable({ ...table, BillingMode: 'PAY_PER_REQUEST' })
    const outcome = await call('UpdateTable', {
      TableName: 'od2',
      OnDemandThroughput: { MaxWriteRequestUnits: 0 },
    })
    expect(outcome.ok ? '' : outcome.error.type).toBe('ValidationException')
    expect(outcome.ok ? '' : outcome.error.message).toContain(
      'onDemandThroughput.maxWriteRequestUnits',
    )
  })

  it('stops a hot partition key at 1,000 WCU a second while the table has room', async () => {
    const { createTable, call } = await start({ burstSeconds: 0, startingBalance: 'full' })
    await createTable(provisionedTable('big', 100, 5000))
    const write = (pk: string, i: number) =>
      call('PutItem', {
        TableName: 'big',
        Item: { pk: { S: pk }, sk: { S: String(i) }, data: filler(9000) },
      })
    // 9 KB items: 9 WCU each; the 112th write to one key passes 1,000 WCU in the second.
    let admitted = 0
    let refusal: unknown
    for (let i = 0; i < 200 && refusal === undefined; i += 1) {
      const outcome = await write('hot', i)
      if (outcome.ok) admitted += 1
      else refusal = outcome.error.body.ThrottlingReasons
    }
    expect(admitted).toBe(112)
    expect(refusal).toEqual([
      {
        reason: 'TableWriteKeyRangeThroughputExceeded',
        resource: 'arn:aws:dynamodb:us-east-1:000000000000:table/big',
      },
    ])
    expect((await write('cold', 0)).ok).toBe(true)
  })

  it('admits everything but still measures when enforcement is off', async () => {
    const { createTable, call, clock, governor } = await start({
      enforce: false,
      burstSeconds: 0,
      startingBalance: 'empty',
    })
    await createTable(provisionedTable('tbl', 1, 1))
    for (let i = 0; i < 5; i += 1) {
      const outcome = await call('PutItem', {
        TableName: 'tbl',
        Item: { pk: { S: `${i}` }, sk: { S: 's' } },
      })
      expect(outcome.ok).toBe(true)
    }
    clock.advance(1000)
    await governor.tick()
    const last = governor.metrics.seconds().at(-1)
    expect(last?.resources[0]?.write.consumedUnits).toBe(5)
    expect(last?.requests).toEqual([
      { tableName: 'tbl', operation: 'PutItem', admitted: 5, throttled: 0, unprocessedItems: 0 },
    ])
  })
})
