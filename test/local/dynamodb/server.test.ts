import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import {
  type LocalDynamoDb,
  METRICS_PATH,
  startLocalDynamoDb,
} from '../../../src/local/dynamodb/index.js'
import { MAX_REQUEST_BYTES } from '../../../src/local/dynamodb/server.js'
import { rawRequest } from '../../support/raw-http.js'

interface ErrorBody {
  __type: string
  message?: string
}

const errorOf = async (response: Response) => (await response.json()) as ErrorBody

const SIGNED = {
  authorization: 'AWS4-HMAC-SHA256 Credential=local/20260101/us-east-1/dynamodb/aws4_request',
}

describe('the DynamoDB wire server', () => {
  let dynamodb: LocalDynamoDb

  beforeAll(async () => {
    dynamodb = await startLocalDynamoDb()
  })
  afterAll(() => dynamodb.close())

  const post = (target: string, body: string, headers: Record<string, string> = {}) =>
    fetch(dynamodb.url, {
      method: 'POST',
      headers: {
        'content-type': 'application/x-amz-json-1.0',
        'x-amz-target': `DynamoDB_20120810.${target}`,
        ...SIGNED,
        ...headers,
      },
      body,
    })

  it('answers malformed JSON with a SerializationException and a request id', async () => {
    const response = await post('ListTables', '{"Limit": ')
    expect(response.status).toBe(400)
    expect(response.headers.get('x-amzn-requestid')).toMatch(/^[A-Z0-9]{52}$/)
    expect(await errorOf(response)).toEqual({
      __type: 'com.amazon.coral.service#SerializationException',
    })
  })

  it('answers an unknown X-Amz-Target with an UnknownOperationException', async () => {
    const response = await post('DropEverything', '{}')
    expect(response.status).toBe(400)
    expect((await errorOf(response)).__type).toBe(
      'com.amazon.coral.service#UnknownOperationException',
    )
  })

  it('answers an unsigned request with MissingAuthenticationTokenException', async () => {
    const response = await post('ListTables', '{}', { authorization: '' })
    expect(response.status).toBe(400)
    expect((await errorOf(response)).__type).toBe(
      'com.amazon.coral.service#MissingAuthenticationTokenException',
    )
  })

  it('answers a body over 16 MB with 413 in DynamoDB error shape and keeps serving', async () => {
    const response = await post('PutItem', 'x'.repeat(MAX_REQUEST_BYTES + 1))
    expect(response.status).toBe(413)
    expect((await errorOf(response)).__type).toBe(
      'com.amazon.coral.service#RequestEntityTooLargeException',
    )
    const after = await post('ListTables', '{}')
    expect(after.status).toBe(200)
  })

  it('keeps dynalite validation errors for wrong types', async () => {
    const response = await post('GetItem', JSON.stringify({ TableName: 'x', Key: 'nope' }))
    expect(response.status).toBe(400)
    const body = await errorOf(response)
    expect(body.__type).toBe('com.amazon.coral.service#SerializationException')
  })

  it('answers a JSON body that is not an object with a SerializationException', async () => {
    for (const body of ['null', '[]', '"GetItem"', '42']) {
      const response = await post('GetItem', body)
      expect(response.status, body).toBe(400)
      expect(await errorOf(response)).toMatchObject({
        __type: 'com.amazon.coral.service#SerializationException',
        message: expect.stringContaining('must be a JSON object'),
      })
    }
  })

  it('answers a null where dynalite expects a structure with a ValidationException, not a 500', async () => {
    const cases = [
      ['BatchGetItem', { RequestItems: { t: null } }],
      ['GetItem', { TableName: 't', Key: { pk: { S: 'a' }, sk: null } }],
    ] as const
    for (const [operation, body] of cases) {
      const response = await post(operation, JSON.stringify(body))
      expect(response.status, operation).toBe(400)
      expect((await errorOf(response)).__type).toBe('com.amazon.coral.validate#ValidationException')
    }
  })

  it('answers a method its HTTP parser refuses, and CONNECT, in DynamoDB error shape', async () => {
    for (const method of ['FOO', 'CONNECT']) {
      const response = await rawRequest(dynamodb.url, { method, target: '/' })
      expect(response.status, method).toBe(400)
      expect(response.headers['x-amzn-requestid']).toMatch(/^[A-Z0-9]{52}$/)
      expect(response.json).toEqual({
        __type: 'com.amazon.coral.service#UnknownOperationException',
      })
    }
    expect((await post('ListTables', '{}')).status).toBe(200)
  })

  it('answers GET / with the health string, as DynamoDB does', async () => {
    const response = await fetch(dynamodb.url)
    expect(response.status).toBe(200)
    expect(await response.text()).toContain('healthy')
  })

  it('serves the governor metrics as JSON on its own path', async () => {
    const response = await fetch(`${dynamodb.url}${METRICS_PATH}`)
    expect(response.status).toBe(200)
    expect(response.headers.get('content-type')).toBe('application/json')
    const metrics = (await response.json()) as {
      connections: { opened: number }
      tables: unknown
      seconds: unknown
    }
    expect(metrics.connections.opened).toBeGreaterThan(0)
    expect(Array.isArray(metrics.tables)).toBe(true)
    expect(Array.isArray(metrics.seconds)).toBe(true)
  })

  it('rejects a metrics query whose since is not a number', async () => {
    const response = await fetch(`${dynamodb.url}${METRICS_PATH}?since=yesterday`)
    expect(response.status).toBe(400)
    expect((await errorOf(response)).message).toContain("'yesterday'")
  })
})
