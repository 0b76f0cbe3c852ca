import fc from 'fast-check'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { API_ROUTES } from '../../src/api/routes.js'
import { createCourseBody, createStudentBody } from '../../src/api/schemas.js'
import { type ApiClient, withBearer } from '../support/api-client.js'
import { hostileString } from '../support/hostile.js'
import {
  authorized,
  type Fixtures,
  fallbackRequests,
  hostileRequestsFor,
  isCourseId,
  isStudentId,
} from '../support/hostile-api.js'
import { inProcessClient } from '../support/in-process-client.js'
import { inProcessGateway } from '../support/in-process-gateway.js'
import { type LocalTable, startLocalTable } from '../support/local-table.js'
import { assertProperty, PropertyTally } from '../support/property-runs.js'
import { expectRefusal } from '../support/refusal.js'
import { scanAll } from '../support/scan.js'
import { openTestTokens, type TestTokens } from '../support/tokens.js'

/** Generated requests per route; each runs through payload 2.0 or 1.0 at random. */
const RUNS_PER_ROUTE = 200

let table: LocalTable
let gateway: ReturnType<typeof inProcessGateway>
let fixtures: Fixtures
let tokens: TestTokens
let api: ApiClient
const tally = new PropertyTally('api-in-process')

beforeAll(async () => {
  table = await startLocalTable()
  tokens = await openTestTokens()
  const { issuer } = tokens
  const authorizer = { issuer: issuer.issuer, audiences: [issuer.audience], jwks: issuer.jwks }
  gateway = inProcessGateway('per-route', table, authorizer)
  api = withBearer(inProcessClient('per-route', table, authorizer), tokens.instructor)
  const student = await api.request('POST', '/students', {
    body: { name: 'Enrolled', email: 'e@example.com' },
  })
  const loner = await api.request('POST', '/students', {
    body: { name: 'Loner', email: 'l@example.com' },
  })
  const full = await api.request('POST', '/courses', { body: { title: 'Full', capacity: 1 } })
  const open = await api.request('POST', '/courses', { body: { title: 'Open', capacity: 5 } })
  fixtures = {
    student: student.body.studentId,
    loner: loner.body.studentId,
    fullCourse: full.body.courseId,
    openCourse: open.body.courseId,
  }
  const enrolled = await api.request('POST', `/courses/${fixtures.fullCourse}/enrollments`, {
    body: { studentId: fixtures.student },
  })
  const graded = await api.request(
    'PUT',
    `/courses/${fixtures.fullCourse}/grades/${fixtures.student}`,
    { body: { grade: 'B+' } },
  )
  expect([enrolled.status, graded.status]).toEqual([201, 201])
  expect([fixtures.student, fixtures.loner].every(isStudentId)).toBe(true)
  expect([fixtures.fullCourse, fixtures.openCourse].every(isCourseId)).toBe(true)
})

afterAll(async () => {
  tally.write()
  await table?.close()
  await tokens?.close()
})

const subjects = [
  ...API_ROUTES.map((route) => ({
    name: `${route.method} ${route.path}`,
    requests: () => hostileRequestsFor(route, fixtures),
  })),
  { name: 'unknown paths ($default)', requests: () => fallbackRequests('notFound') },
  {
    name: 'known paths, other methods (ANY)',
    requests: () => fallbackRequests('methodNotAllowed'),
  },
]

describe('the A+ API under hostile requests, through the per-route function entries', () => {
  for (const subject of subjects) {
    it(`refuses every spoiled request to ${subject.name} with a 4xx and a message, storing nothing`, async () => {
      const before = await scanAll(table.db, table.tableName)
      await assertProperty(
        fc.tuple(subject.requests(), fc.constantFrom('2.0' as const, '1.0' as const)),
        async ([request, payloadFormat]) => {
          const answer = await gateway.send(authorized(request, tokens.instructor), payloadFormat)
          tally.record(subject.name, answer.status)
          expectRefusal(answer, request)
        },
        RUNS_PER_ROUTE,
      )
      expect(await scanAll(table.db, table.tableName)).toEqual(before)
    })
  }
})

describe('the A+ API with odd but valid text', () => {
  it('stores names and titles of any well-formed Unicode exactly and reads them back', async () => {
    const text = (
      schema: typeof createStudentBody | typeof createCourseBody,
      field: string,
      valid: object,
    ) => hostileString.filter((value) => schema.safeParse({ ...valid, [field]: value }).success)
    await assertProperty(
      fc.tuple(
        text(createStudentBody, 'name', { email: 'a@example.com' }),
        text(createCourseBody, 'title', { capacity: 3 }),
      ),
      async ([name, title]) => {
        const student = await api.request('POST', '/students', {
          body: { name, email: 'a@example.com' },
        })
        const course = await api.request('POST', '/courses', { body: { title, capacity: 3 } })
        tally.record('odd valid text', `${student.status}/${course.status}`)
        expect([student.status, course.status]).toEqual([201, 201])
        const readStudent = await api.request('GET', `/students/${student.body.studentId}`)
        const readCourse = await api.request('GET', `/courses/${course.body.courseId}`)
        expect(readStudent.body.name).toBe(name.trim())
        expect(readCourse.body.title).toBe(title.trim())
      },
      50,
    )
  })
})
