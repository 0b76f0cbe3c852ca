import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { RouteDefinition } from '../../../src/api/routes.js'
import {
  type Gateway,
  type GatewayOptions,
  type GatewayRequestRecord,
  startGateway,
} from '../../../src/local/gateway/server.js'
import { startTestService, type TestService } from '../../support/lambda-fixtures.js'

/** One test function that misbehaves in the way its path names. */
const APP = `
const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms))
export const handler = async (event) => {
  const path = event.rawPath ?? event.path
  switch (path) {
    case '/slow': await sleep(300); return { statusCode: 200, body: 'done' }
    case '/hang': await sleep(2500); return { statusCode: 200, body: 'late' }
    case '/throw': throw new Error('boom')
    case '/spin': while (true) {}
    case '/exit': process.exit(1)
    case '/bad-status': return { statusCode: 'abc', body: 'x' }
    case '/object-body': return { statusCode: 200, body: { a: 1 } }
    case '/extra-key': return { statusCode: 200, body: 'x', extra: true }
    case '/plain': return { hello: 'world' }
    default:
      return { statusCode: 200, headers: { 'content-type': 'application/json' }, body: JSON.stringify(event) }
  }
}
`

const PATHS = ['/slow', '/hang', '/throw', '/spin', '/exit', '/bad-status', '/object-body']
const ROUTES: RouteDefinition[] = [
  ...[...PATHS, '/extra-key', '/plain', '/echo/{id}'].map(
    (path): RouteDefinition => ({
      id: path,
      method: 'GET',
      path,
      service: 'health',
      access: 'none',
    }),
  ),
  { id: 'upload', method: 'POST', path: '/upload', service: 'health', access: 'none' },
]

const functionOf = (routeKey: string) =>
  routeKey === 'GET /slow' ? 'slow' : routeKey === 'GET /hang' ? 'hang' : 'app'

let lambda: TestService
const gateways: Gateway[] = []
const records: GatewayRequestRecord[] = []

async function gateway(options: Partial<GatewayOptions> = {}): Promise<string> {
  const started = await startGateway({
    routes: ROUTES,
    functionOf,
    lambda: lambda.service,
    integrationTimeoutMs: 1000,
    onRequest: (record) => records.push(record),
    ...options,
  })
  gateways.push(started)
  return started.url
}

let httpApi: string
let restApi: string

beforeAll(async () => {
  lambda = await startTestService([
    { name: 'app', timeoutSeconds: 0.5, source: APP },
    { name: 'slow', reservedConcurrency: 2, source: APP },
    { name: 'hang', source: APP },
  ])
  httpApi = await gateway()
  restApi = await gateway({ api: 'rest' })
})

afterAll(async () => {
  await Promise.all(gateways.map((started) => started.close()))
  await lambda.close()
})

async function get(base: string, path: string, init: RequestInit = {}) {
  const response = await fetch(`${base}${path}`, init)
  const text = await response.text()
  let body: unknown = text
  try {
    body = JSON.parse(text)
  } catch {}
  return { status: response.status, headers: response.headers, body }
}

describe('the HTTP API gateway', () => {
  it('answers 10 simultaneous requests to a function with reserved concurrency 2: 2 run, 8 get the throttled-invoke 500', async () => {
    const answers = await Promise.all(Array.from({ length: 10 }, () => get(httpApi, '/slow')))
    const statuses = answers.map((answer) => answer.status).sort()
    expect(statuses).toEqual([200, 200, 500, 500, 500, 500, 500, 500, 500, 500])
    expect(answers.find((answer) => answer.status === 500)?.body).toEqual({
      message: 'Internal Server Error',
    })
    const throttled = records.filter((record) => record.failure === 'throttled')
    expect(throttled.length).toBeGreaterThanOrEqual(8)
    expect(throttled[0]?.lambdaError).toBe('ReservedFunctionConcurrentInvocationLimitExceeded')
  })

  it('answers throttled invokes 429 with Retry-After when set to refuse them as retryable', async () => {
    const refusing = await gateway({ throttledInvoke: 'too-many-requests' })
    const answers = await Promise.all(Array.from({ length: 6 }, () => get(refusing, '/slow')))
    const refused = answers.filter((answer) => answer.status === 429)
    expect(refused).toHaveLength(4)
    expect(refused[0]?.body).toEqual({ message: 'Too Many Requests' })
    expect(refused[0]?.headers.get('retry-after')).toBe('1')
    expect(answers.filter((answer) => answer.status === 200)).toHaveLength(2)
  })

  it('answers a throwing, timing-out or exiting function with 500 and keeps serving', async () => {
    for (const path of ['/throw', '/spin', '/exit']) {
      const answer = await get(httpApi, path)
      expect(answer, path).toMatchObject({
        status: 500,
        body: { message: 'Internal Server Error' },
      })
    }
    expect(await get(httpApi, '/plain')).toMatchObject({ status: 200, body: { hello: 'world' } })
  })

  it('answers 503 when the integration timeout passes first', async () => {
    expect(await get(httpApi, '/hang')).toMatchObject({
      status: 503,
      body: { message: 'Service Unavailable' },
    })
  })

  it('maps payload 2.0 results leniently but answers a malformed one with 500', async () => {
    const plain = await get(httpApi, '/plain')
    expect(plain.headers.get('content-type')).toBe('application/json')
    for (const path of ['/bad-status', '/object-body']) {
      expect(await get(httpApi, path), path).toMatchObject({ status: 500 })
    }
  })

  it('sends the request id it gave the event in apigw-requestid', async () => {
    const answer = await get(httpApi, '/echo/42?a=1&a=2')
    const event = answer.body as { requestContext: { requestId: string }; pathParameters: unknown }
    expect(answer.headers.get('apigw-requestid')).toMatch(/^[A-Za-z0-9+/]{15}=$/)
    expect(event.requestContext.requestId).toBe(answer.headers.get('apigw-requestid'))
    expect(event).toMatchObject({ version: '2.0', pathParameters: { id: '42' } })
  })

  it('refuses an unknown route, a body over 10 MB and request headers over 10,240 bytes', async () => {
    expect(await get(httpApi, '/nowhere')).toMatchObject({
      status: 404,
      body: { message: 'Not Found' },
    })
    const oversized = await get(httpApi, '/upload', {
      method: 'POST',
      body: Buffer.alloc(10 * 1024 * 1024 + 1, 97),
    })
    expect(oversized).toMatchObject({ status: 413, body: { message: 'Request Entity Too Large' } })
    const bigHeaders = await get(httpApi, '/plain', {
      headers: { 'x-padding': 'x'.repeat(10_300) },
    })
    expect(bigHeaders.status).toBe(431)
    expect(oversized.headers.get('apigw-requestid')).toBeTruthy()
  })

  it("throttles past the account's burst with 429 Too Many Requests", async () => {
    const throttled = await gateway({ throttle: { ratePerSecond: 1, burst: 2 } })
    const answers = [
      await get(throttled, '/plain'),
      await get(throttled, '/plain'),
      await get(throttled, '/plain'),
    ]
    expect(answers.map((answer) => answer.status)).toEqual([200, 200, 429])
    expect(answers[2]?.body).toEqual({ message: 'Too Many Requests' })
  })
})

describe('the REST API gateway', () => {
  it('answers a throttled invoke with 500 and a function error with 502', async () => {
    const answers = await Promise.all(Array.from({ length: 4 }, () => get(restApi, '/slow')))
    const refused = answers.filter((answer) => answer.status !== 200)
    expect(refused.length).toBeGreaterThanOrEqual(2)
    for (const answer of refused) {
      expect(answer).toMatchObject({ status: 500, body: { message: 'Internal server error' } })
    }
    expect(await get(restApi, '/throw')).toMatchObject({
      status: 502,
      body: { message: 'Internal server error' },
    })
  })

  it('answers 504 Endpoint request timed out at the integration timeout', async () => {
    expect(await get(restApi, '/hang')).toMatchObject({
      status: 504,
      body: { message: 'Endpoint request timed out' },
    })
  })

  it('answers 502 to every result that is not a strict payload 1.0 response', async () => {
    for (const path of ['/bad-status', '/object-body', '/extra-key', '/plain']) {
      expect(await get(restApi, path), path).toMatchObject({ status: 502 })
    }
  })

  it('sends a payload 1.0 event and its request id in x-amzn-RequestId', async () => {
    const answer = await get(restApi, '/echo/7?tag=a&tag=b', { headers: { 'x-test': 'yes' } })
    expect(answer.status).toBe(200)
    const requestId = answer.headers.get('x-amzn-requestid')
    expect(requestId).toMatch(/^[0-9a-f-]{36}$/)
    expect(answer.body).toMatchObject({
      resource: '/echo/{id}',
      path: '/echo/7',
      httpMethod: 'GET',
      pathParameters: { id: '7' },
      queryStringParameters: { tag: 'b' },
      multiValueQueryStringParameters: { tag: ['a', 'b'] },
      multiValueHeaders: { 'x-test': ['yes'] },
      stageVariables: null,
      body: null,
      requestContext: { requestId, resourcePath: '/echo/{id}', stage: 'local' },
    })
  })

  it('answers a path without a resource with 403 Missing Authentication Token', async () => {
    expect(await get(restApi, '/nowhere')).toMatchObject({
      status: 403,
      body: { message: 'Missing Authentication Token' },
    })
  })
})
