import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { RouteDefinition } from '../../../src/api/routes.js'
import { type Gateway, startGateway } from '../../../src/local/gateway/server.js'
import { startTestService, type TestService } from '../../support/lambda-fixtures.js'
import { type RawRequest, rawRequest } from '../../support/raw-http.js'

/** A function whose answers carry headers no HTTP server may send. */
const APP = `
export const handler = async (event) => {
  const path = event.rawPath ?? event.path
  if (path === '/bad-header-value') return { statusCode: 200, headers: { 'x-bad': 'a\\nb' }, body: 'x' }
  if (path === '/bad-header-name') return { statusCode: 200, headers: { 'bad name': '1' }, body: 'x' }
  return { statusCode: 200, body: 'ok' }
}
`

const ROUTES: RouteDefinition[] = ['/bad-header-value', '/bad-header-name', '/ok'].map((path) => ({
  id: path,
  method: 'GET',
  path,
  service: 'health',
  access: 'none',
}))

let lambda: TestService
const gateways: Record<'http' | 'rest', Gateway | undefined> = { http: undefined, rest: undefined }
const urlOf = (api: 'http' | 'rest') => gateways[api]?.url ?? ''

beforeAll(async () => {
  lambda = await startTestService([{ name: 'app', source: APP }])
  for (const api of ['http', 'rest'] as const) {
    gateways[api] = await startGateway({
      routes: ROUTES,
      functionOf: () => 'app',
      lambda: lambda.service,
      api,
    })
  }
})

afterAll(async () => {
  await Promise.all(Object.values(gateways).map((gateway) => gateway?.close()))
  await lambda.close()
})

describe('the gateway at the edges of HTTP', () => {
  it("answers what Node cannot parse with API Gateway's own message and request id", async () => {
    const cases: (RawRequest & { status: number; message: string })[] = [
      { method: 'FOO', target: '/ok', status: 400, message: 'Bad Request' },
      { method: 'get', target: '/ok', status: 400, message: 'Bad Request' },
      { method: 'CONNECT', target: 'example.com:443', status: 400, message: 'Bad Request' },
      {
        method: 'GET',
        target: '/ok',
        headers: [['X-Bad', 'a\u0001b']],
        status: 400,
        message: 'Bad Request',
      },
      {
        method: 'GET',
        target: '/ok',
        headers: [['X-Padding', 'x'.repeat(70_000)]],
        status: 431,
        message: 'Request Header Fields Too Large',
      },
    ]
    for (const { status, message, ...request } of cases) {
      const http = await rawRequest(urlOf('http'), request)
      expect(http.status, request.method).toBe(status)
      expect(http.json, request.method).toEqual({ message })
      expect(http.headers['apigw-requestid']).toMatch(/^[A-Za-z0-9+/]{15}=$/)
      const rest = await rawRequest(urlOf('rest'), request)
      expect(rest.status, request.method).toBe(status)
      expect(rest.headers['x-amzn-requestid']).toMatch(/^[0-9a-f-]{36}$/)
    }
    expect((await fetch(`${urlOf('http')}/ok`)).status).toBe(200)
  })

  it('answers a function result with headers HTTP cannot carry as a malformed result, and keeps serving', async () => {
    for (const path of ['/bad-header-value', '/bad-header-name']) {
      const http = await rawRequest(urlOf('http'), { method: 'GET', target: path })
      expect(http.status, path).toBe(500)
      expect(http.json).toEqual({ message: 'Internal Server Error' })
      const rest = await rawRequest(urlOf('rest'), { method: 'GET', target: path })
      expect(rest.status, path).toBe(502)
      expect(rest.json).toEqual({ message: 'Internal server error' })
    }
    expect((await fetch(`${urlOf('http')}/ok`)).status).toBe(200)
  })
})
