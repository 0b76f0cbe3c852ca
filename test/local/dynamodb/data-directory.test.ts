import { mkdtemp, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { DataDirectoryError } from '../../../src/local/dynamodb/data-directory.js'
import { startLocalDynamoDb } from '../../../src/local/dynamodb/index.js'

let directory: string

beforeAll(async () => {
  directory = await mkdtemp(join(tmpdir(), 'aplus-data-dir-'))
})
afterAll(() => rm(directory, { recursive: true, force: true }))

describe('the local DynamoDB data directory', () => {
  it('refuses a directory another endpoint has open, instead of hanging or failing later', async () => {
    const first = await startLocalDynamoDb({ path: join(directory, 'shared') })
    try {
      const second = startLocalDynamoDb({ path: join(directory, 'shared') })
      await expect(second).rejects.toThrow(DataDirectoryError)
      await expect(second).rejects.toThrow(/another process has it open/)
    } finally {
      await first.close()
    }
  })

  it('refuses a path that cannot be a directory, naming it', async () => {
    const file = join(directory, 'a-file')
    await writeFile(file, 'x')
    await expect(startLocalDynamoDb({ path: join(file, 'data') })).rejects.toThrow(
      `cannot keep DynamoDB's data in ${join(file, 'data')}: ENOTDIR`,
    )
  })
})

describe('on-demand maximums on disk', () => {
  const SIGNED = {
    authorization: 'AWS4-HMAC-SHA256 Credential=local/20260101/us-east-1/dynamodb/aws4_request',
  }
  /** The parts of DynamoDB's answers this test reads. */
  type WireAnswer = {
    Table?: { OnDemandThroughput?: unknown }
    throttlingReasons?: { reason: string }[]
  }
  const call = async (url: string, operation: string, body: object) => {
    const response = await fetch(url, {
      method: 'POST',
      headers: {
        'content-type': 'application/x-amz-json-1.0',
        'x-amz-target': `DynamoDB_20120810.${operation}`,
        ...SIGNED,
      },
      body: JSON.stringify(body),
    })
    return { status: response.status, body: (await response.json()) as WireAnswer }
  }
  const put = (url: string, pk: string) =>
    call(url, 'PutItem', { TableName: 'capped', Item: { pk: { S: pk } } })

  it('keeps enforcing and reporting OnDemandThroughput after the endpoint is reopened', async () => {
    const path = join(directory, 'maxima')
    const first = await startLocalDynamoDb({ path })
    try {
      const created = await call(first.url, 'CreateTable', {
        TableName: 'capped',
        AttributeDefinitions: [{ AttributeName: 'pk', AttributeType: 'S' }],
        KeySchema: [{ AttributeName: 'pk', KeyType: 'HASH' }],
        BillingMode: 'PAY_PER_REQUEST',
        OnDemandThroughput: { MaxReadRequestUnits: 5, MaxWriteRequestUnits: 1 },
      })
      expect(created.status).toBe(200)
    } finally {
      await first.close()
    }

    const second = await startLocalDynamoDb({ path })
    try {
      const described = await call(second.url, 'DescribeTable', { TableName: 'capped' })
      expect(described.body.Table?.OnDemandThroughput).toEqual({
        MaxReadRequestUnits: 5,
        MaxWriteRequestUnits: 1,
      })
      // One write unit a second, admitted while the balance is above zero: of six writes at
      // once, two or three pass (the bucket refills between them), the rest are refused.
      const writes = await Promise.all(
        ['a', 'b', 'c', 'd', 'e', 'f'].map((pk) => put(second.url, pk)),
      )
      const refused = writes.filter((write) => write.status === 400)
      expect(refused.length).toBeGreaterThanOrEqual(3)
      expect(refused[0]?.body.throttlingReasons?.[0]?.reason).toBe(
        'TableWriteMaxOnDemandThroughputExceeded',
      )
      // Removing the maximum is kept too.
      await call(second.url, 'UpdateTable', {
        TableName: 'capped',
        OnDemandThroughput: { MaxWriteRequestUnits: -1 },
      })
    } finally {
      await second.close()
    }

    const third = await startLocalDynamoDb({ path })
    try {
      const described = await call(third.url, 'DescribeTable', { TableName: 'capped' })
      expect(described.body.Table?.OnDemandThroughput).toEqual({
        MaxReadRequestUnits: 5,
        MaxWriteRequestUnits: -1,
      })
      const writes = await Promise.all(
        ['g', 'h', 'i', 'j', 'k', 'l'].map((pk) => put(third.url, pk)),
      )
      expect(writes.map((write) => write.status)).toEqual([200, 200, 200, 200, 200, 200])
    } finally {
      await third.close()
    }
  })
})
