import { DynamoDBClient } from '@aws-sdk/client-dynamodb'
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createHandlerContext } from '../../src/api/context.js'
import { dispatch } from '../../src/api/dispatch.js'
import { HANDLERS } from '../../src/api/handlers/index.js'
import type { Logger } from '../../src/api/logger.js'
import { type HandlerId, ROUTES, routeKey } from '../../src/api/routes.js'
import type { ApiRequest, HandlerContext } from '../../src/api/types.js'
import { dataAccessOf, ROUTE_DATA_ACCESS, routeDataAccess } from '../../src/infra/data-access.js'
import { DataAccessError } from '../../src/infra/errors.js'
import { LOCAL_CREDENTIALS, LOCAL_REGION } from '../../src/local/table-setup.js'
import { createStore } from '../../src/store/index.js'
import { functionsOf } from '../../src/topology/topologies.js'
import { type LocalTable, startLocalTable } from '../support/local-table.js'

/** IAM authorizes a transaction part by part; each part's action, by its key in TransactItems. */
const TRANSACT_WRITE_PARTS: Record<string, string> = {
  ConditionCheck: 'ConditionCheckItem',
  Put: 'PutItem',
  Update: 'UpdateItem',
  Delete: 'DeleteItem',
}

type Operation = { resource: 'table' | 'index'; action: string }

/** The IAM actions a low-level DynamoDB command needs, and on which resource. */
function operationsOf(commandName: string, input: Record<string, unknown>): Operation[] {
  const operation = commandName.replace(/Command$/, '')
  if (operation === 'TransactWriteItems') {
    const parts = input.TransactItems as Record<string, unknown>[]
    return parts.flatMap((part) =>
      Object.keys(part).map((kind) => ({
        resource: 'table' as const,
        action: TRANSACT_WRITE_PARTS[kind] ?? `unknown transaction part ${kind}`,
      })),
    )
  }
  return [{ resource: input.IndexName === undefined ? 'table' : 'index', action: operation }]
}

const quiet: Logger = { error() {}, warn() {}, info() {}, debug() {} }

describe('the data access declared per route', () => {
  let table: LocalTable
  let db: DynamoDBDocumentClient
  let context: HandlerContext
  let currentRoute: HandlerId | undefined
  const observed = new Map<HandlerId, Set<string>>()

  beforeAll(async () => {
    table = await startLocalTable()
    const client = new DynamoDBClient({
      endpoint: table.dynamodb.url,
      region: LOCAL_REGION,
      credentials: LOCAL_CREDENTIALS,
    })
    client.middlewareStack.add(
      (next, handlerContext) => async (args) => {
        const calls = operationsOf(
          String(handlerContext.commandName),
          args.input as Record<string, unknown>,
        )
        const seen = currentRoute && observed.get(currentRoute)
        for (const call of calls) seen?.add(`${call.resource}:${call.action}`)
        return next(args)
      },
      { step: 'initialize', name: 'recordIamActions' },
    )
    db = DynamoDBDocumentClient.from(client, { marshallOptions: { removeUndefinedValues: true } })
    context = createHandlerContext({
      store: createStore({ db, tableName: table.tableName }),
      log: quiet,
    })
  })
  afterAll(async () => {
    db?.destroy()
    await table?.close()
  })

  /** Runs a route's handler as the function would, recording the DynamoDB calls it makes. */
  async function call(
    id: HandlerId,
    options: {
      path?: Record<string, string>
      query?: Record<string, string>
      body?: unknown
    } = {},
  ) {
    const route = ROUTES.find((candidate) => candidate.id === id)
    if (!route) throw new Error(`no route ${id}`)
    const request: ApiRequest = {
      routeKey: routeKey(route),
      method: route.method === 'ANY' || route.method === '$default' ? 'DELETE' : route.method,
      path: route.path || '/nowhere',
      pathParameters: options.path ?? {},
      query: options.query ?? {},
      headers: { 'content-type': 'application/json' },
      body: options.body === undefined ? undefined : JSON.stringify(options.body),
      requestId: `req-${id}`,
      // An instructor may call every route, so every store call a route can make is reached.
      identity: { subject: 'instructor-1', roles: ['instructor'] },
    }
    if (!observed.has(id)) observed.set(id, new Set())
    currentRoute = id
    try {
      const response = await dispatch(HANDLERS[id], request, context)
      return { statusCode: response.statusCode, body: response.body as Record<string, unknown> }
    } finally {
      currentRoute = undefined
    }
  }

  it('are exactly the DynamoDB actions each route makes, on success and on refusal', async () => {
    const ada = await call('createStudent', { body: { name: 'Ada', email: 'ada@example.com' } })
    const bob = await call('createStudent', { body: { name: 'Bob', email: 'bob@example.com' } })
    expect([ada.statusCode, bob.statusCode]).toEqual([201, 201])
    const studentId = String(ada.body.studentId)
    expect((await call('getStudent', { path: { studentId } })).statusCode).toBe(200)
    const nobody = 'stu_aaaaaaaaaaaaaaaa'
    expect((await call('getStudent', { path: { studentId: nobody } })).statusCode).toBe(404)

    const course = await call('createCourse', { body: { title: 'Logic', capacity: 1 } })
    await call('createCourse', { body: { title: 'Sets', capacity: 5 } })
    expect(course.statusCode).toBe(201)
    const courseId = String(course.body.courseId)
    expect((await call('getCourse', { path: { courseId } })).statusCode).toBe(200)
    const firstPage = await call('listCourses', { query: { limit: '1' } })
    const cursor = String(firstPage.body.nextCursor)
    expect((await call('listCourses', { query: { limit: '1', cursor } })).statusCode).toBe(200)

    const enroll = (student: string) =>
      call('enrollStudent', { path: { courseId }, body: { studentId: student } })
    expect((await enroll(studentId)).statusCode).toBe(201)
    expect((await enroll(studentId)).statusCode).toBe(409)
    expect((await enroll(String(bob.body.studentId))).statusCode).toBe(409)
    expect((await enroll(nobody)).statusCode).toBe(404)
    expect((await call('listEnrollments', { path: { courseId } })).statusCode).toBe(200)

    const grade = (value: string) =>
      call('recordGrade', { path: { courseId, studentId }, body: { grade: value } })
    expect((await grade('B')).statusCode).toBe(201)
    expect((await grade('A')).statusCode).toBe(200)
    expect((await call('getTranscript', { path: { studentId } })).statusCode).toBe(200)

    expect((await call('health')).statusCode).toBe(200)
    expect((await call('methodNotAllowed')).statusCode).toBe(405)
    expect((await call('notFound')).statusCode).toBe(404)

    for (const id of Object.keys(ROUTE_DATA_ACCESS) as HandlerId[]) {
      const declared = ROUTE_DATA_ACCESS[id]
      const expected = [
        ...(declared.table ?? []).map((action) => `table:${action}`),
        ...(declared.index ?? []).map((action) => `index:${action}`),
      ].sort()
      expect({ id, actions: [...(observed.get(id) ?? ['not exercised'])].sort() }).toEqual({
        id,
        actions: expected,
      })
    }
  })
})

describe("a function's data access", () => {
  it('is the union of its routes, and nothing for functions whose routes touch no data', () => {
    const monolith = functionsOf('monolith')[0]
    expect(monolith && dataAccessOf(monolith)).toEqual({
      table: ['ConditionCheckItem', 'GetItem', 'PutItem', 'Query', 'UpdateItem'],
      index: ['Query'],
    })
    for (const fn of functionsOf('per-route')) {
      const access = dataAccessOf(fn)
      const touchesData = fn.routes.some((route) => route.access !== 'none')
      expect(access.table.length + access.index.length > 0).toBe(touchesData)
    }
  })

  it('refuses a declaration that contradicts the route table', () => {
    const health = ROUTES.find((route) => route.id === 'health')
    const getStudent = ROUTES.find((route) => route.id === 'getStudent')
    if (!health || !getStudent) throw new Error('route table changed')
    expect(() => routeDataAccess({ ...health, access: 'read' })).toThrow(DataAccessError)
    expect(() => routeDataAccess({ ...getStudent, access: 'write' })).toThrow(
      "route getStudent has access 'write' in the route table but declares [GetItem]",
    )
    expect(() => routeDataAccess({ ...getStudent, access: 'none' })).toThrow(DataAccessError)
  })
})
