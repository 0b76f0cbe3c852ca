import type { APIGatewayProxyEvent } from 'aws-lambda'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { newId } from '../../src/api/ids.js'
import { createLogger } from '../../src/api/logger.js'
import { ROUTES } from '../../src/api/routes.js'
import { createFunctionHandler } from '../../src/lambda/function-handler.js'
import { createStore } from '../../src/store/index.js'
import { type LocalTable, startLocalTable } from '../support/local-table.js'
import { ownedRoutes } from '../support/owned-routes.js'

let table: LocalTable
let handler: ReturnType<typeof createFunctionHandler>

beforeAll(async () => {
  table = await startLocalTable()
  handler = createFunctionHandler(
    ownedRoutes(ROUTES),
    {
      store: createStore({ db: table.db, tableName: table.tableName }),
      log: createLogger('error'),
      now: () => new Date(),
      newId,
    },
    { scopePrefix: '' },
  )
})

afterAll(() => table.close())

const INSTRUCTOR_CLAIMS = { sub: 'instructor-1', scope: 'instructor', token_use: 'access' }

/**
 * A REST API proxy event (payload 1.0) as API Gateway builds it, with the claims a Cognito user
 * pool authorizer verified (an instructor's unless the test says otherwise; null: no authorizer).
 */
function restEvent(
  httpMethod: string,
  resource: string,
  path: string,
  options: {
    body?: string
    pathParameters?: Record<string, string>
    multiValueHeaders?: Record<string, string[]>
    claims?: Record<string, string> | null
  } = {},
): APIGatewayProxyEvent {
  const claims = options.claims === undefined ? INSTRUCTOR_CLAIMS : options.claims
  const multiValueHeaders = options.multiValueHeaders ?? { 'Content-Type': ['application/json'] }
  return {
    resource,
    path,
    httpMethod,
    headers: Object.fromEntries(
      Object.entries(multiValueHeaders).map(([name, values]) => [name, values.at(-1) ?? '']),
    ),
    multiValueHeaders,
    queryStringParameters: null,
    multiValueQueryStringParameters: null,
    pathParameters: options.pathParameters ?? null,
    stageVariables: null,
    requestContext: {
      requestId: 'rest-request-1',
      ...(claims ? { authorizer: { claims } } : {}),
    } as APIGatewayProxyEvent['requestContext'],
    body: options.body ?? null,
    isBase64Encoded: false,
  }
}

describe('the function handler with REST API events (payload 1.0)', () => {
  it('routes by resource and method and answers in the 1.0 shape', async () => {
    const created = await handler(
      restEvent('POST', '/students', '/students', {
        body: JSON.stringify({ name: 'Ada', email: 'ada@example.com' }),
      }),
    )
    expect(created.statusCode).toBe(201)
    const student = JSON.parse(String(created.body))
    const read = await handler(
      restEvent('GET', '/students/{studentId}', `/students/${student.studentId}`, {
        pathParameters: { studentId: student.studentId },
      }),
    )
    expect(read).toMatchObject({ statusCode: 200, headers: { 'content-type': 'application/json' } })
    expect(JSON.parse(String(read.body))).toEqual(student)
  })

  it('reads a base64-encoded body', async () => {
    const event = restEvent('POST', '/courses', '/courses', {
      body: Buffer.from(JSON.stringify({ title: 'Logic', capacity: 3 })).toString('base64'),
    })
    const created = await handler({ ...event, isBase64Encoded: true })
    expect(created.statusCode).toBe(201)
  })

  it('answers 405 through the ANY resource and 404 through the proxy resource', async () => {
    const wrongMethod = await handler(restEvent('DELETE', '/courses', '/courses'))
    expect(wrongMethod.statusCode).toBe(405)
    const unknown = await handler(restEvent('GET', '/{proxy+}', '/teachers'))
    expect(unknown.statusCode).toBe(404)
    expect(JSON.parse(String(unknown.body)).error.code).toBe('route_not_found')
  })

  it('joins repeated headers and reads them case-insensitively', async () => {
    const response = await handler(
      restEvent('POST', '/students', '/students', {
        body: 'name=Ada',
        multiValueHeaders: { 'Content-Type': ['application/x-www-form-urlencoded'] },
      }),
    )
    expect(response.statusCode).toBe(415)
  })

  it('reads the identity from the authorizer claims: a student sees only themself', async () => {
    const created = await handler(
      restEvent('POST', '/students', '/students', {
        body: JSON.stringify({ name: 'Kim', email: 'kim@example.com' }),
      }),
    )
    const { studentId } = JSON.parse(String(created.body))
    const read = (sub: string) =>
      handler(
        restEvent('GET', '/students/{studentId}', `/students/${studentId}`, {
          pathParameters: { studentId },
          claims: { sub, scope: 'student' },
        }),
      )
    expect((await read(studentId)).statusCode).toBe(200)
    const other = await read('stu_bbbbbbbbbbbbbbbb')
    expect(other.statusCode).toBe(403)
    expect(JSON.parse(String(other.body)).error.code).toBe('forbidden')
  })

  it('answers 401 on a protected route when no authorizer ran, and serves public ones', async () => {
    const refused = await handler(
      restEvent('POST', '/courses', '/courses', {
        body: JSON.stringify({ title: 'Logic', capacity: 3 }),
        claims: null,
      }),
    )
    expect(refused.statusCode).toBe(401)
    expect(refused.headers).toMatchObject({ 'www-authenticate': 'Bearer' })
    expect(JSON.parse(String(refused.body)).error.code).toBe('unauthenticated')
    const catalogue = await handler(restEvent('GET', '/courses', '/courses', { claims: null }))
    expect(catalogue.statusCode).toBe(200)
  })
})
