import {
  BatchWriteItemCommand,
  CreateTableCommand,
  DynamoDBClient,
  GetItemCommand,
  ProvisionedThroughputExceededException,
  PutItemCommand,
  TransactionCanceledException,
  TransactWriteItemsCommand,
} from '@aws-sdk/client-dynamodb'
import { afterEach, describe, expect, it } from 'vitest'
import { ManualClock } from '../../../src/local/dynamodb/governor/clock.js'
import type { GovernorConfigInput } from '../../../src/local/dynamodb/governor/config.js'
import { type LocalDynamoDb, startLocalDynamoDb } from '../../../src/local/dynamodb/index.js'
import { LOCAL_CREDENTIALS, LOCAL_REGION } from '../../../src/local/table-setup.js'
import { provisionedTable } from '../../support/governed-engine.js'

let dynamodb: LocalDynamoDb | undefined
let client: DynamoDBClient | undefined

afterEach(async () => {
  client?.destroy()
  await dynamodb?.close()
  client = undefined
  dynamodb = undefined
})

async function start(governor: GovernorConfigInput, clock?: ManualClock, maxAttempts?: number) {
  dynamodb = await startLocalDynamoDb({ governor, ...(clock ? { clock } : {}) })
  client = new DynamoDBClient({
    endpoint: dynamodb.url,
    region: LOCAL_REGION,
    credentials: LOCAL_CREDENTIALS,
    ...(maxAttempts ? { maxAttempts } : {}),
  })
  await client.send(new CreateTableCommand(provisionedTable('tbl', 5, 2)))
  await new Promise((resolve) => setTimeout(resolve, 10))
  return { dynamodb, client }
}

const key = (pk: string) => ({ pk: { S: pk }, sk: { S: 's' } })

describe('the governed endpoint, through the AWS SDK', () => {
  it('resolves the DynamoDB client default to four attempts in the SDK installed here', async () => {
    // @aws-sdk/client-dynamodb 3.1178 defaults DynamoDB to 4 attempts, and @smithy/core 3.40
    // turned the 2026 retry behaviour on unconditionally (1 s base delay for throttles).
    const defaults = new DynamoDBClient({ region: LOCAL_REGION, credentials: LOCAL_CREDENTIALS })
    expect(await defaults.config.maxAttempts()).toBe(4)
    defaults.destroy()
  })

  it('throttles with ProvisionedThroughputExceededException once the SDK used its attempts', async () => {
    // The clock stands still: the bucket cannot refill between the SDK's retries. Three
    // attempts (standard mode's classic default) keep the backoff short.
    const clock = new ManualClock(1_000_000)
    const { client } = await start({ burstSeconds: 0, startingBalance: 'empty' }, clock, 3)
    const error = await client
      .send(new PutItemCommand({ TableName: 'tbl', Item: key('a') }))
      .catch((thrown: unknown) => thrown)
    expect(error).toBeInstanceOf(ProvisionedThroughputExceededException)
    const throttle = error as ProvisionedThroughputExceededException
    expect(throttle.$metadata.httpStatusCode).toBe(400)
    expect(throttle.$metadata.attempts).toBe(3)
    expect(throttle.$metadata.requestId).toMatch(/^[A-Z0-9]{52}$/)
    expect(throttle.ThrottlingReasons).toEqual([
      {
        reason: 'TableWriteProvisionedThroughputExceeded',
        resource: 'arn:aws:dynamodb:us-east-1:000000000000:table/tbl',
      },
    ])
    // Read past the governor: the frozen clock leaves the read bucket empty too.
    const stored = await dynamodb?.engine.execute('GetItem', { TableName: 'tbl', Key: key('a') })
    expect(stored?.Item).toBeUndefined()
    // The SDK marks each try in a header, so the endpoint counts the two retries.
    expect(dynamodb?.server.sdkRetries()).toBe(2)
    clock.advance(1000)
    await dynamodb?.governor.tick()
    expect(dynamodb?.governor.metrics.seconds().at(-1)?.sdkRetries).toBe(2)
  })

  it('answers a partly throttled BatchWriteItem with UnprocessedItems the SDK can resend', async () => {
    const clock = new ManualClock(1_000_000)
    const { client } = await start({ burstSeconds: 0, startingBalance: 'full' }, clock)
    const requests = ['a', 'b', 'c', 'd'].map((pk) => ({ PutRequest: { Item: key(pk) } }))
    const answer = await client.send(new BatchWriteItemCommand({ RequestItems: { tbl: requests } }))
    expect(answer.UnprocessedItems?.tbl).toEqual(requests.slice(2))
    const written = await client.send(new GetItemCommand({ TableName: 'tbl', Key: key('b') }))
    const handedBack = await client.send(new GetItemCommand({ TableName: 'tbl', Key: key('c') }))
    expect(written.Item).toEqual(key('b'))
    expect(handedBack.Item).toBeUndefined()
    clock.advance(1000)
    const retried = await client.send(
      new BatchWriteItemCommand({ RequestItems: answer.UnprocessedItems ?? {} }),
    )
    expect(retried.UnprocessedItems).toEqual({})
  })

  it('cancels a transaction short of capacity; the SDK does not retry a cancellation', async () => {
    const clock = new ManualClock(1_000_000)
    const { client } = await start({ burstSeconds: 0, startingBalance: 'empty' }, clock)
    const error = await client
      .send(
        new TransactWriteItemsCommand({
          TransactItems: [{ Put: { TableName: 'tbl', Item: key('t') } }],
        }),
      )
      .catch((thrown: unknown) => thrown)
    expect(error).toBeInstanceOf(TransactionCanceledException)
    const cancelled = error as TransactionCanceledException
    expect(cancelled.$metadata.attempts).toBe(1)
    expect(cancelled.CancellationReasons?.[0]?.Code).toBe('ProvisionedThroughputExceeded')
  })

  it('admits about the provisioned units per second in real time', async () => {
    const writeUnits = 20
    const seconds = 2
    dynamodb = await startLocalDynamoDb({ governor: { burstSeconds: 0, startingBalance: 'empty' } })
    client = new DynamoDBClient({
      endpoint: dynamodb.url,
      region: LOCAL_REGION,
      credentials: LOCAL_CREDENTIALS,
      maxAttempts: 1,
    })
    await client.send(new CreateTableCommand(provisionedTable('tbl', 5, writeUnits)))
    await new Promise((resolve) => setTimeout(resolve, 10))
    const active = client
    const endMs = Date.now() + seconds * 1000
    let admitted = 0
    let sequence = 0
    const worker = async () => {
      while (Date.now() < endMs) {
        sequence += 1
        try {
          await active.send(new PutItemCommand({ TableName: 'tbl', Item: key(`r${sequence}`) }))
          admitted += 1
        } catch (error) {
          if (!(error instanceof ProvisionedThroughputExceededException)) throw error
          await new Promise((resolve) => setTimeout(resolve, 5))
        }
      }
    }
    await Promise.all([worker(), worker(), worker(), worker()])
    // Generous bounds: the machine is shared; the exact rate is tested on a simulated clock.
    expect(admitted).toBeGreaterThanOrEqual(writeUnits * seconds * 0.85)
    expect(admitted).toBeLessThanOrEqual(writeUnits * seconds * 1.15 + 1)
  })
})
