import type { APIGatewayProxyEvent } from 'aws-lambda'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { HANDLERS } from '../../src/api/handlers/index.js'
import { newId } from '../../src/api/ids.js'
import { createLogger } from '../../src/api/logger.js'
import { ROUTES, routeKey } from '../../src/api/routes.js'
import { createFunctionHandler } from '../../src/lambda/function-handler.js'
import { createStore } from '../../src/store/index.js'
import { type LocalTable, startLocalTable } from '../support/local-table.js'

let table: LocalTable
let handler: ReturnType<typeof createFunctionHandler>

beforeAll(async () => {
  table = await startLocalTable()
  const routes = Object.fromEntries(
    ROUTES.map((route) => [routeKey(route), HANDLERS[route.id as keyof typeof HANDLERS]]),
  )
  handler = createFunctionHandler(routes, {
    store: createStore({ db: table.db, tableName: table.tableName }),
    log: createLogger('error'),
    now: () => new Date(),
    newId,
  })
})

afterAll(() => table.close())

/** A REST API proxy event (payload 1.0) as API Gateway builds it. */
function restEvent(
  httpMethod: string,
  resource: string,
  path: string,
  options: {
    body?: string
    pathParameters?: Record<string, string>
    multiValueHeaders?: Record<string, string[]>
  } = {},
): APIGatewayProxyEvent {
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
    requestContext: { requestId: 'rest-request-1' } as APIGatewayProxyEvent['requestContext'],
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
})
