import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { RouteDefinition } from '../../../src/api/routes.js'
import { createJwtAuthorizer } from '../../../src/auth/jwt-authorizer.js'
import {
  type Gateway,
  type GatewayOptions,
  type GatewayRequestRecord,
  startGateway,
} from '../../../src/local/gateway/server.js'
import { eventsOf, startTestService, type TestService } from '../../support/lambda-fixtures.js'
import { openTestTokens, type TestTokens } from '../../support/tokens.js'

/** Answers with the event it got, so a test sees what the gateway passed on. */
const ECHO = `export const handler = async (event) => ({
  statusCode: 200,
  headers: { 'content-type': 'application/json' },
  body: JSON.stringify(event),
})`

const ROUTES: RouteDefinition[] = [
  {
    id: 'grade',
    method: 'PUT',
    path: '/grades/{id}',
    service: 'grades',
    access: 'write',
    scopes: ['instructor'],
  },
  {
    id: 'transcript',
    method: 'GET',
    path: '/transcripts/{id}',
    service: 'grades',
    access: 'read',
    scopes: ['instructor', 'student'],
  },
  { id: 'catalogue', method: 'GET', path: '/catalogue', service: 'courses', access: 'read' },
]

let lambda: TestService
let tokens: TestTokens
const gateways: Gateway[] = []
const records: GatewayRequestRecord[] = []

async function gateway(options: Partial<GatewayOptions> = {}, scopePrefix?: string) {
  const { issuer } = tokens
  const authorize = createJwtAuthorizer({
    issuer: issuer.issuer,
    audiences: [issuer.audience],
    jwks: issuer.jwks,
  })
  const started = await startGateway({
    routes: ROUTES,
    functionOf: () => 'echo',
    lambda: lambda.service,
    authorizer: { authorize, ...(scopePrefix === undefined ? {} : { scopePrefix }) },
    onRequest: (record) => records.push(record),
    ...options,
  })
  gateways.push(started)
  return started.url
}

let httpApi: string
let httpApiV1: string
let restApi: string

beforeAll(async () => {
  tokens = await openTestTokens()
  lambda = await startTestService([{ name: 'echo', source: ECHO }])
  httpApi = await gateway()
  httpApiV1 = await gateway({ payloadFormat: '1.0' })
  restApi = await gateway({ api: 'rest' })
})

afterAll(async () => {
  await Promise.all(gateways.map((started) => started.close()))
  await lambda.close()
  await tokens.close()
})

const invocations = () => eventsOf(lambda.events, 'invocation-started').length

async function send(base: string, method: string, path: string, authorization?: string) {
  const response = await fetch(`${base}${path}`, {
    method,
    headers: authorization === undefined ? {} : { authorization },
  })
  const text = await response.text()
  return { status: response.status, headers: response.headers, body: JSON.parse(text) }
}

type BadToken = (tokens: TestTokens) => Promise<string | undefined>

const BAD_CREDENTIALS: [string, BadToken][] = [
  ['no Authorization header', async () => undefined],
  ['a malformed Authorization header', async () => 'Bearer'],
  ['a Basic credential', async () => 'Basic dXNlcjpwYXNz'],
  ['a bad signature', async (t) => `Bearer ${await t.badSignature('instructor', 'i')}`],
  ['an expired token', async (t) => `Bearer ${await t.expired('instructor', 'i')}`],
  [
    'a token for another audience',
    async (t) => `Bearer ${await t.otherAudience('instructor', 'i')}`,
  ],
  ['a token of another key', async (t) => `Bearer ${await t.forged('instructor', 'i')}`],
]

describe("the local HTTP API's JWT authorizer", () => {
  it.each(BAD_CREDENTIALS)('answers %s with 401 and invokes nothing', async (_, credential) => {
    const before = invocations()
    const answer = await send(httpApi, 'PUT', '/grades/1', await credential(tokens))
    expect(answer.status).toBe(401)
    expect(answer.body).toEqual({ message: 'Unauthorized' })
    expect(answer.headers.get('www-authenticate')).toMatch(/^Bearer .*error="invalid_token"/)
    expect(answer.headers.get('apigw-requestid')).toBeTruthy()
    expect(invocations()).toBe(before)
    expect(records.at(-1)).toMatchObject({
      statusCode: 401,
      failure: 'unauthorized',
      routeKey: 'PUT /grades/{id}',
    })
    expect(records.at(-1)?.functionName).toBeUndefined()
  })

  it('answers a valid token without the route scope with 403 and invokes nothing', async () => {
    const before = invocations()
    const student = await tokens.mint('student', 'stu_1')
    const answer = await send(httpApi, 'PUT', '/grades/1', `Bearer ${student}`)
    expect(answer).toMatchObject({ status: 403, body: { message: 'Forbidden' } })
    expect(answer.headers.get('www-authenticate')).toContain('scope="instructor"')
    expect(answer.headers.get('www-authenticate')).toContain('error="insufficient_scope"')
    expect(invocations()).toBe(before)
    expect(records.at(-1)).toMatchObject({ failure: 'forbidden' })
  })

  it('passes the verified claims as strings and the scopes in requestContext.authorizer.jwt', async () => {
    const student = await tokens.mint('student', 'stu_1')
    const answer = await send(httpApi, 'GET', '/transcripts/1', `Bearer ${student}`)
    expect(answer.status).toBe(200)
    const { jwt } = answer.body.requestContext.authorizer
    expect(jwt.scopes).toEqual(['student'])
    expect(jwt.claims).toMatchObject({ sub: 'stu_1', scope: 'student', aud: 'aplus-api' })
    expect(typeof jwt.claims.exp).toBe('string')
  })

  it('runs no authorizer on a public route: no claims, whatever the request carries', async () => {
    const before = invocations()
    const answer = await send(httpApi, 'GET', '/catalogue', 'Bearer not.a.jwt')
    expect(answer.status).toBe(200)
    expect(answer.body.requestContext.authorizer).toBeUndefined()
    expect(invocations()).toBe(before + 1)
  })

  it('asks for the scopes as the issuer names them when it has a prefix', async () => {
    const prefixed = await gateway({}, 'aplus/')
    const plain = await tokens.mint('instructor', 'i')
    expect((await send(prefixed, 'PUT', '/grades/1', `Bearer ${plain}`)).status).toBe(403)
    const scoped = await tokens.custom('instructor', 'i', { scope: 'aplus/instructor' })
    const answer = await send(prefixed, 'PUT', '/grades/1', `Bearer ${scoped}`)
    expect(answer.status).toBe(200)
    expect(answer.body.requestContext.authorizer.jwt.scopes).toEqual(['aplus/instructor'])
  })

  it('passes the claims and scopes in requestContext.authorizer with payload 1.0', async () => {
    const token = await tokens.mint('instructor', 'i-1')
    const answer = await send(httpApiV1, 'PUT', '/grades/1', `Bearer ${token}`)
    expect(answer.status).toBe(200)
    expect(answer.body.requestContext.authorizer).toMatchObject({
      claims: { sub: 'i-1', scope: 'instructor' },
      scopes: ['instructor'],
    })
  })
})

describe("the local REST API's token authorizer", () => {
  it('answers a bad token with 401 Unauthorized and a missing scope with 403, invoking nothing', async () => {
    const before = invocations()
    const expired = await send(
      restApi,
      'PUT',
      '/grades/1',
      `Bearer ${await tokens.expired('instructor', 'i')}`,
    )
    expect(expired).toMatchObject({ status: 401, body: { message: 'Unauthorized' } })
    expect(expired.headers.get('x-amzn-requestid')).toBeTruthy()
    const student = await send(
      restApi,
      'PUT',
      '/grades/1',
      `Bearer ${await tokens.mint('student', 's')}`,
    )
    expect(student).toMatchObject({ status: 403, body: { message: 'Forbidden' } })
    expect(invocations()).toBe(before)
  })

  it('passes the verified claims in requestContext.authorizer.claims', async () => {
    const token = await tokens.mint('student', 'stu_2')
    const answer = await send(restApi, 'GET', '/transcripts/2', `Bearer ${token}`)
    expect(answer.status).toBe(200)
    expect(answer.body.requestContext.authorizer).toEqual({
      claims: expect.objectContaining({ sub: 'stu_2', scope: 'student' }),
    })
  })
})
