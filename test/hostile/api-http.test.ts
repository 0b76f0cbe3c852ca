import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb'
import fc from 'fast-check'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { API_ROUTES } from '../../src/api/routes.js'
import { type LocalCloud, startLocalCloud } from '../../src/local/cloud.js'
import { localAdminClient } from '../../src/local/table-setup.js'
import { httpClient, withBearer } from '../support/api-client.js'
import { badPercentEncoding, hostileString } from '../support/hostile.js'
import {
  authorized,
  encodeSegment,
  type Fixtures,
  fallbackRequests,
  type HostileRequest,
  hostileRequestsFor,
} from '../support/hostile-api.js'
import { assertProperty, PropertyTally } from '../support/property-runs.js'
import { rawRequest } from '../support/raw-http.js'
import { expectRefusal } from '../support/refusal.js'
import { scanAll } from '../support/scan.js'
import { openTestTokens, type TestTokens } from '../support/tokens.js'

/** Fewer than in-process: each request crosses the gateway and an execution environment. */
const RUNS_PER_ROUTE = 25

let cloud: LocalCloud
let buildDir: string
let db: DynamoDBDocumentClient
let fixtures: Fixtures
let tokens: TestTokens
const tally = new PropertyTally('api-http')

beforeAll(async () => {
  buildDir = await mkdtemp(join(tmpdir(), 'aplus-build-'))
  tokens = await openTestTokens()
  cloud = await startLocalCloud({
    topology: 'monolith',
    buildDir,
    jwtKeyFile: tokens.keyFile,
    config: { lambda: { coldStartDelayMs: 0 } },
  })
  db = DynamoDBDocumentClient.from(localAdminClient(cloud.dynamodbUrl))
  const api = withBearer(httpClient(cloud.url), tokens.instructor)
  const create = async (path: string, body: object) =>
    (await api.request('POST', path, { body })).body
  const student = await create('/students', { name: 'Enrolled', email: 'e@example.com' })
  const loner = await create('/students', { name: 'Loner', email: 'l@example.com' })
  const full = await create('/courses', { title: 'Full', capacity: 1 })
  const open = await create('/courses', { title: 'Open', capacity: 5 })
  fixtures = {
    student: student.studentId,
    loner: loner.studentId,
    fullCourse: full.courseId,
    openCourse: open.courseId,
  }
  await create(`/courses/${fixtures.fullCourse}/enrollments`, { studentId: fixtures.student })
})

afterAll(async () => {
  tally.write()
  db?.destroy()
  await cloud?.close()
  await rm(buildDir, { recursive: true, force: true })
  await tokens?.close()
})

const send = (spoiled: HostileRequest) => {
  const request = authorized(spoiled, tokens.instructor)
  return rawRequest(cloud.url, {
    method: request.method,
    target: request.target,
    headers: request.headers,
    ...(request.body === undefined ? {} : { body: request.body }),
  })
}

/** What a client can get wrong in the HTTP envelope itself, before any route is involved. */
const envelope: fc.Arbitrary<HostileRequest> = fc.oneof(
  fc.constantFrom('FOO', 'get', 'CONNECT', 'PROPFIND', 'M-SEARCH').map((method) => ({
    route: 'envelope',
    method,
    target: '/students',
    headers: [],
    body: undefined,
    defects: [`method ${method}`],
  })),
  fc.tuple(fc.constantFrom('/students/', '/courses/'), badPercentEncoding).map(([path, bad]) => ({
    route: 'envelope',
    method: 'GET',
    target: `${path}${bad}`,
    headers: [],
    body: undefined,
    defects: [`encoding ${bad}`],
  })),
  fc.integer({ min: 10_300, max: 80_000 }).map((bytes) => ({
    route: 'envelope',
    method: 'GET',
    target: '/health',
    headers: [['X-Padding', 'x'.repeat(bytes)]] as [string, string][],
    body: undefined,
    defects: [`a ${bytes}-byte header`],
  })),
  fc.integer({ min: 40, max: 200 }).map((count) => ({
    route: 'envelope',
    method: 'GET',
    target: '/health',
    headers: Array.from({ length: count }, (_, index): [string, string] => [
      `X-Repeat`,
      `${index}`.padEnd(300, '.'),
    ]),
    body: undefined,
    defects: [`${count} repeated headers`],
  })),
  fc
    .tuple(fc.constantFrom('\u0001', '\u007f', '\u0000', '\r'), hostileString)
    .map(([control, text]) => ({
      route: 'envelope',
      method: 'POST',
      target: '/students',
      headers: [
        ['Content-Type', 'application/json'],
        [
          'X-Bad',
          `a${control}b${Buffer.from(text)
            .toString('latin1')
            .replace(/[\r\n]/g, '')}`,
        ],
      ] as [string, string][],
      body: Buffer.from('{}'),
      defects: [`control character ${JSON.stringify(control)} in a header`],
    })),
  fc.constantFrom('12', '-1', '1, 2', 'abc').map((length) => ({
    route: 'envelope',
    method: 'POST',
    target: '/students',
    headers: [
      ['Content-Type', 'application/json'],
      ['Content-Length', length],
      ['Content-Length', '2'],
    ] as [string, string][],
    body: Buffer.from('{}'),
    defects: [`content-length ${length} and 2`],
  })),
  fc.constantFrom('zz\r\n{}\r\n0\r\n\r\n', '2\r\n{}\r\n', '-1\r\n').map((chunks) => ({
    route: 'envelope',
    method: 'POST',
    target: '/students',
    headers: [
      ['Content-Type', 'application/json'],
      ['Transfer-Encoding', 'chunked'],
    ] as [string, string][],
    body: Buffer.from(chunks),
    defects: [`chunked body ${JSON.stringify(chunks)}`],
  })),
  fc
    .constantFrom(
      '*',
      'students',
      `http://example.com/students/${encodeSegment('\u202e')}`,
      '//students',
      '/students?%',
      '/students#frag',
    )
    .map((target) => ({
      route: 'envelope',
      method: 'POST',
      target,
      headers: [['Content-Type', 'text/plain']] as [string, string][],
      body: Buffer.from('{}'),
      defects: [`target ${target}`],
    })),
)

describe('the local cloud under hostile requests over HTTP (monolith)', () => {
  const subjects = [
    ...API_ROUTES.map((route) => ({
      name: `${route.method} ${route.path}`,
      requests: () => hostileRequestsFor(route, fixtures),
      runs: RUNS_PER_ROUTE,
    })),
    {
      name: 'unknown paths ($default)',
      requests: () => fallbackRequests('notFound'),
      runs: RUNS_PER_ROUTE,
    },
    {
      name: 'known paths, other methods (ANY)',
      requests: () => fallbackRequests('methodNotAllowed'),
      runs: RUNS_PER_ROUTE,
    },
    { name: 'the HTTP envelope', requests: () => envelope, runs: 60 },
  ]
  for (const subject of subjects) {
    it(`refuses every spoiled request to ${subject.name} with a 4xx and a message, storing nothing`, async () => {
      const before = await scanAll(db, cloud.tableName)
      await assertProperty(
        subject.requests(),
        async (request) => {
          const answer = await send(request)
          tally.record(subject.name, answer.status)
          expectRefusal(answer, request)
        },
        subject.runs,
      )
      expect(await scanAll(db, cloud.tableName)).toEqual(before)
    })
  }

  it('keeps serving, with every environment still answering', async () => {
    const health = await httpClient(cloud.url).request('GET', '/health')
    expect(health.status).toBe(200)
    const student = await withBearer(httpClient(cloud.url), tokens.instructor).request(
      'GET',
      `/students/${fixtures.student}`,
    )
    expect(student.status).toBe(200)
  })
})
