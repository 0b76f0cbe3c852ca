import fc from 'fast-check'
import { idPattern } from '../../src/api/ids.js'
import { API_ROUTES, methodsAt, ROUTES } from '../../src/api/routes.js'
import {
  courseId as courseIdSchema,
  createCourseBody,
  createStudentBody,
  enrollmentBody,
  gradeBody,
  studentId as studentIdSchema,
} from '../../src/api/schemas.js'
import { RouteMatcher } from '../../src/local/gateway/route-matcher.js'
import {
  badPercentEncoding,
  deeplyNested,
  edgeNumber,
  hostileJson,
  hostileString,
  invalidUtf8,
  notJson,
  numberLikeText,
  PROTOTYPE_KEYS,
} from './hostile.js'

/**
 * Generated requests to the A+ API, each made from a valid request of one route and spoiled by
 * at least one defect that the API must refuse (bad ids, fields, types, bodies, content types,
 * query strings, cursors, methods, percent-encoding, idempotency keys, or a valid request the
 * data refuses: a missing course, a full one, a student not enrolled). Harmless noise (extra
 * headers, odd but legal header values, query strings a route ignores) is added on top. Every
 * request must be answered 4xx with a readable message and change nothing.
 */

/** Ids of what exists before a batch, so requests can aim at real and at missing items. */
export interface Fixtures {
  /** Enrolled in `fullCourse` and graded there. */
  student: string
  /** Exists, enrolled nowhere. */
  loner: string
  /** Capacity 1, taken by `student`. */
  fullCourse: string
  /** Capacity 5, nobody enrolled. */
  openCourse: string
}

export interface HostileRequest {
  /** The route the request was made from (or `notFound`, `methodNotAllowed`). */
  route: string
  method: string
  /** Path and query exactly as sent (already percent-encoded). */
  target: string
  headers: [string, string][]
  body: Buffer | undefined
  /** What spoils it, for a failure's report. */
  defects: string[]
}

/**
 * The request with an instructor's token in front of its own headers: spoiled requests must get
 * past the authorizer to reach the validation they test. Refusals by role have their own suite.
 */
export function authorized(request: HostileRequest, token: string): HostileRequest {
  return { ...request, headers: [['Authorization', `Bearer ${token}`], ...request.headers] }
}

type Part = {
  method: string
  /** Path segments after encoding, without the leading slash. */
  segments: string[]
  query: [string, string][]
  headers: [string, string][]
  /** The body as a value to serialize, or raw bytes. */
  body: { json: unknown } | { raw: Buffer } | undefined
  defects: string[]
}

type Defect = (part: Part) => Part
type RouteDef = (typeof API_ROUTES)[number]

const STUDENT_ID = idPattern('stu')
const COURSE_ID = idPattern('crs')
const matcher = new RouteMatcher(ROUTES)

export const missingStudentId = fc.stringMatching(/^stu_[a-z2-7]{16}$/)
export const missingCourseId = fc.stringMatching(/^crs_[a-z2-7]{16}$/)

/** A path segment as a client would percent-encode it; lone surrogates go out as WTF-8 bytes. */
export function encodeSegment(text: string): string {
  try {
    return encodeURIComponent(text)
  } catch {
    return [...Buffer.from(text.replace(/[\ud800-\udfff]/g, '\u0000'))]
      .map((byte) => `%${byte.toString(16).toUpperCase().padStart(2, '0')}`)
      .join('')
      .replaceAll('%00', '%ED%A0%80')
  }
}

/** Something that is not an id of the given shape. */
const notAnId = (pattern: RegExp) =>
  fc
    .oneof(hostileString, edgeNumber.map(String))
    .filter((text) => text !== '' && !pattern.test(text))

const invalidBy =
  (schema: { safeParse(value: unknown): { success: boolean } }) => (value: unknown) =>
    !schema.safeParse(value).success

const FIELD_VALUES: Record<string, fc.Arbitrary<unknown>> = {
  name: fc.oneof(
    hostileString,
    hostileJson,
    edgeNumber,
    fc.constantFrom('', '   ', 'x'.repeat(101)),
  ),
  email: fc.oneof(
    hostileString,
    hostileJson,
    fc.constantFrom('a@', '@b.co', 'a b@c.de', `${'a'.repeat(250)}@b.co`),
  ),
  title: fc.oneof(hostileString, hostileJson, edgeNumber, fc.constantFrom('', 'x'.repeat(201))),
  capacity: fc.oneof(
    edgeNumber,
    numberLikeText,
    hostileJson,
    fc.constantFrom(0, 1001, 10.5, '10', null, true),
  ),
  studentId: fc.oneof(notAnId(STUDENT_ID), hostileJson),
  grade: fc.oneof(hostileString, hostileJson, fc.constantFrom('a+', 'A ', 'E', 'F-', 'A++', '')),
}

const BODY_SCHEMAS: Record<string, { safeParse(value: unknown): { success: boolean } }> = {
  createStudent: createStudentBody,
  createCourse: createCourseBody,
  enrollStudent: enrollmentBody,
  recordGrade: gradeBody,
}

function validBody(routeId: string, fixtures: Fixtures): Record<string, unknown> | undefined {
  switch (routeId) {
    case 'createStudent':
      return { name: 'Ada Lovelace', email: 'ada@example.com' }
    case 'createCourse':
      return { title: 'Analytical Engines', capacity: 10 }
    case 'enrollStudent':
      return { studentId: fixtures.loner }
    case 'recordGrade':
      return { grade: 'A' }
    default:
      return undefined
  }
}

/** The valid request of a route; enrolling the loner in the open course would succeed. */
function validPart(route: RouteDef, fixtures: Fixtures): Part {
  const parameters: Record<string, string> = {
    studentId: fixtures.student,
    courseId: route.id === 'enrollStudent' ? fixtures.openCourse : fixtures.fullCourse,
  }
  const segments = route.path
    .split('/')
    .slice(1)
    .map((segment) =>
      segment.startsWith('{') ? (parameters[segment.slice(1, -1)] ?? '') : segment,
    )
  const body = validBody(route.id, fixtures)
  return {
    method: route.method,
    segments,
    query: route.id.startsWith('list') ? [['limit', '5']] : [],
    headers: body ? [['Content-Type', 'application/json']] : [],
    body: body ? { json: body } : undefined,
    defects: [],
  }
}

const withDefect = (part: Part, name: string, change: Partial<Part>): Part => ({
  ...part,
  ...change,
  defects: [...part.defects, name],
})

/** Replaces one path parameter with a value that is not an id. */
function badParameter(route: RouteDef): fc.Arbitrary<Defect> | undefined {
  const positions = route.path
    .split('/')
    .slice(1)
    .flatMap((segment, index) =>
      segment.startsWith('{') ? [{ index, name: segment.slice(1, -1) }] : [],
    )
  if (positions.length === 0) return undefined
  return fc
    .tuple(fc.constantFrom(...positions), notAnId(/^(stu|crs)_[a-z2-7]{16}$/))
    .map(([{ index, name }, value]) => (part) => {
      const segments = [...part.segments]
      segments[index] = encodeSegment(value)
      return withDefect(part, `path ${name}=${JSON.stringify(value)}`, { segments })
    })
}

/** Aims at a course or student that does not exist, or that the data refuses. */
function refusedByData(route: RouteDef, fixtures: Fixtures): fc.Arbitrary<Defect> | undefined {
  const pathWith = (part: Part, index: number, id: string) => {
    const segments = [...part.segments]
    segments[index] = id
    return segments
  }
  switch (route.id) {
    case 'getStudent':
    case 'getTranscript':
      return missingStudentId.map(
        (id) => (part) =>
          withDefect(part, `missing student ${id}`, { segments: pathWith(part, 1, id) }),
      )
    case 'getCourse':
    case 'listEnrollments':
      return missingCourseId.map(
        (id) => (part) =>
          withDefect(part, `missing course ${id}`, { segments: pathWith(part, 1, id) }),
      )
    case 'enrollStudent':
      return fc.oneof(
        missingCourseId.map(
          (id): Defect =>
            (part) =>
              withDefect(part, `missing course ${id}`, { segments: pathWith(part, 1, id) }),
        ),
        missingStudentId.map(
          (id): Defect =>
            (part) =>
              withDefect(part, `missing student ${id}`, { body: { json: { studentId: id } } }),
        ),
        fc.constant<Defect>((part) =>
          withDefect(part, 'course full', { segments: pathWith(part, 1, fixtures.fullCourse) }),
        ),
        fc.constant<Defect>((part) =>
          withDefect(part, 'already enrolled', {
            segments: pathWith(part, 1, fixtures.fullCourse),
            body: { json: { studentId: fixtures.student } },
          }),
        ),
      )
    case 'recordGrade':
      return fc.oneof(
        fc.constant<Defect>((part) =>
          withDefect(part, 'not enrolled', { segments: pathWith(part, 3, fixtures.loner) }),
        ),
        missingCourseId.map(
          (id): Defect =>
            (part) =>
              withDefect(part, `missing course ${id}`, { segments: pathWith(part, 1, id) }),
        ),
      )
    default:
      return undefined
  }
}

/** Breaks the body: a field of the wrong type or form, a missing or an unknown field, a wrong top level, not JSON, too big. */
function badBody(route: RouteDef): fc.Arbitrary<Defect> | undefined {
  const schema = BODY_SCHEMAS[route.id]
  if (!schema) return undefined
  const isInvalid = invalidBy(schema)
  const spoilField = fc
    .tuple(fc.constantFrom(...Object.keys(FIELD_VALUES)), fc.constant(null))
    .chain(([field]) => fc.tuple(fc.constant(field), FIELD_VALUES[field] ?? hostileJson))
    .map(
      ([field, value]): Defect =>
        (part) => {
          const body = { ...(part.body && 'json' in part.body ? (part.body.json as object) : {}) }
          Object.defineProperty(body, field, {
            value,
            enumerable: true,
            writable: true,
            configurable: true,
          })
          return withDefect(part, `body.${field}=${JSON.stringify(value)?.slice(0, 80)}`, {
            body: { json: body },
          })
        },
    )
  const extraField = fc
    .tuple(
      fc.oneof(
        fc.constantFrom(...PROTOTYPE_KEYS),
        hostileString.filter((key) => !(key in FIELD_VALUES)),
      ),
      hostileJson,
    )
    .map(
      ([key, value]): Defect =>
        (part) => {
          const body = { ...(part.body && 'json' in part.body ? (part.body.json as object) : {}) }
          Object.defineProperty(body, key, {
            value,
            enumerable: true,
            writable: true,
            configurable: true,
          })
          return withDefect(part, `body has extra ${JSON.stringify(key)}`, { body: { json: body } })
        },
    )
  const missingField = fc.nat().map(
    (pick): Defect =>
      (part) => {
        const body = {
          ...(part.body && 'json' in part.body ? (part.body.json as Record<string, unknown>) : {}),
        }
        const keys = Object.keys(body)
        const key = keys[pick % Math.max(1, keys.length)]
        if (key !== undefined) delete body[key]
        return withDefect(part, `body lacks ${key}`, { body: { json: body } })
      },
  )
  const wrongTopLevel = fc
    .oneof(fc.constantFrom(null, true, 0, 'text', []), fc.array(hostileJson, { maxLength: 3 }))
    .map(
      (value): Defect =>
        (part) =>
          withDefect(part, `body is ${JSON.stringify(value)?.slice(0, 40)}`, {
            body: { json: value },
          }),
    )
  const notJsonBody = fc
    .oneof(
      notJson.map((text) => Buffer.from(text)),
      fc
        .tuple(fc.constant('{"a":"'), invalidUtf8)
        .map(([start, bytes]) => Buffer.concat([Buffer.from(start), bytes])),
      invalidUtf8.map((bytes) => Buffer.concat([Buffer.from('{"grade":"A"}'), bytes])),
      deeplyNested.map((text) => Buffer.from(text)),
      fc.constant(Buffer.alloc(0)),
    )
    .map(
      (raw): Defect =>
        (part) =>
          withDefect(part, `body bytes ${raw.subarray(0, 30).toString('latin1')}`, {
            body: { raw },
          }),
    )
  const tooBig = fc.integer({ min: 16 * 1024 + 1, max: 64 * 1024 }).map(
    (bytes): Defect =>
      (part) => {
        const text = JSON.stringify(part.body && 'json' in part.body ? part.body.json : {})
        return withDefect(part, `body of ${bytes} bytes`, {
          body: { raw: Buffer.from(text.padEnd(bytes, ' ')) },
        })
      },
  )
  return fc
    .oneof(
      { weight: 4, arbitrary: spoilField },
      extraField,
      missingField,
      wrongTopLevel,
      notJsonBody,
      tooBig,
    )
    .map(
      (defect): Defect =>
        (part) => {
          const spoiled = defect(part)
          const body = spoiled.body
          // A spoiled field can by chance still be valid (a hostile name of ordinary letters): such a
          // body is replaced by one that is invalid for sure, so every request keeps a defect.
          if (body && 'json' in body && !isInvalid(body.json)) {
            return withDefect(part, 'body {}', { body: { json: {} } })
          }
          return spoiled
        },
    )
}

const NOT_JSON_TYPES = [
  'text/plain',
  'text/html; charset=utf-8',
  'application/xml',
  'application/x-www-form-urlencoded',
  'multipart/form-data; boundary=x',
  'application/octet-stream',
  'application/jsonx',
  'json',
  '',
  'application/json,application/json',
]

function badContentType(route: RouteDef): fc.Arbitrary<Defect> | undefined {
  if (!BODY_SCHEMAS[route.id]) return undefined
  return fc.constantFrom(...NOT_JSON_TYPES).map(
    (type): Defect =>
      (part) =>
        withDefect(part, `content-type ${JSON.stringify(type)}`, {
          headers: [
            ...part.headers.filter(([name]) => name.toLowerCase() !== 'content-type'),
            ['Content-Type', type],
          ],
        }),
  )
}

const IDEMPOTENCY_KEY = /^[A-Za-z0-9._:-]{1,100}$/

function badIdempotencyKey(route: RouteDef): fc.Arbitrary<Defect> | undefined {
  if (route.method !== 'POST') return undefined
  return fc
    .oneof(
      hostileString.filter((key) => !IDEMPOTENCY_KEY.test(key.trim())),
      fc.constant('a'.repeat(101)),
      fc.tuple(fc.constant('key-1'), fc.constant('key-2')).map((keys) => keys.join(', ')),
    )
    .map(
      (key): Defect =>
        (part) =>
          withDefect(part, `idempotency-key ${JSON.stringify(key).slice(0, 60)}`, {
            headers: [...part.headers, ['Idempotency-Key', key]],
          }),
    )
}

function badPage(route: RouteDef, fixtures: Fixtures): fc.Arbitrary<Defect> | undefined {
  if (!route.id.startsWith('list')) return undefined
  const limit = numberLikeText
    .filter((text) => !/^\d{1,3}$/.test(text) || Number(text) < 1 || Number(text) > 100)
    .map(
      (text): Defect =>
        (part) =>
          withDefect(part, `limit=${JSON.stringify(text)}`, {
            query: [...part.query.filter(([name]) => name !== 'limit'), ['limit', text]],
          }),
    )
  // Cursors forged from the keys a listing really uses, right partition, wrong values: what
  // gets past a decoder that checks only names and the partition.
  const forgedKey =
    route.id === 'listCourses'
      ? fc.record({
          pk: fc.oneof(fc.constant(`COURSE#${fixtures.fullCourse}`), hostileString),
          sk: fc.oneof(fc.constant('#COURSE'), hostileString),
          gsi1pk: fc.constant('COURSES'),
          gsi1sk: hostileString,
        })
      : fc.record({ pk: fc.constant(`COURSE#${fixtures.fullCourse}`), sk: hostileString })
  const cursorContent = fc.oneof(
    { weight: 3, arbitrary: forgedKey },
    hostileJson,
    fc.record({
      pk: fc.constant(''),
      sk: fc.constant(''),
      gsi1pk: fc.constant('COURSES'),
      gsi1sk: fc.constant(''),
    }),
  )
  const cursor = fc
    .oneof(
      cursorContent.map((value) =>
        Buffer.from(JSON.stringify(value) ?? 'null').toString('base64url'),
      ),
      hostileString.filter((text) => text !== ''),
    )
    .map(
      (text): Defect =>
        (part) =>
          withDefect(part, `cursor=${JSON.stringify(text).slice(0, 80)}`, {
            query: [...part.query, ['cursor', text]],
          }),
    )
  const unknown = fc
    .tuple(
      fc.oneof(
        fc.constantFrom(...PROTOTYPE_KEYS, 'Limit', 'limit[]', 'offset'),
        hostileString.filter((key) => key !== 'limit' && key !== 'cursor' && key !== ''),
      ),
      hostileString,
    )
    .map(
      ([key, value]): Defect =>
        (part) =>
          withDefect(part, `query ${JSON.stringify(key)}`, {
            query: [...part.query, [key, value]],
          }),
    )
  const repeated = fc.constant<Defect>((part) =>
    withDefect(part, 'limit twice', { query: [...part.query, ['limit', '5']] }),
  )
  return fc.oneof(limit, { weight: 2, arbitrary: cursor }, unknown, repeated)
}

/** A method that has no route at the path (405), lower case, or one no route knows. */
function badMethod(route: RouteDef): fc.Arbitrary<Defect> {
  const allowed = new Set(methodsAt(route.path))
  return fc
    .constantFrom(
      'GET',
      'POST',
      'PUT',
      'PATCH',
      'DELETE',
      'OPTIONS',
      'get',
      'post',
      'PROPFIND',
      'PURGE',
      'TRACE',
    )
    .filter((method) => !allowed.has(method))
    .map(
      (method): Defect =>
        (part) =>
          withDefect(part, `method ${method}`, { method }),
    )
}

function badEncoding(): fc.Arbitrary<Defect> {
  return fc.tuple(fc.nat(), badPercentEncoding).map(
    ([pick, bad]): Defect =>
      (part) => {
        const segments = [...part.segments]
        const index = pick % segments.length
        segments[index] = `${segments[index]}${bad}`
        return withDefect(part, `percent-encoding ${bad}`, { segments })
      },
  )
}

/** Headers that must change nothing: odd values, prototype names, repeats. */
const noiseHeaders: fc.Arbitrary<[string, string][]> = fc.array(
  fc.tuple(
    fc.oneof(
      fc.constantFrom(
        'X-Trace',
        'User-Agent',
        'Accept',
        'Cookie',
        'X-Forwarded-For',
        ...PROTOTYPE_KEYS,
      ),
      fc.stringMatching(/^x-[a-z0-9-]{1,20}$/),
    ),
    hostileString.map((text) =>
      Buffer.from(text.replace(/[\r\n\0]/g, ' '))
        .toString('latin1')
        .slice(0, 2000),
    ),
  ),
  { maxLength: 4 },
)

/** The defects a route can have. Every route can get a wrong method or a broken encoding. */
function defectsOf(route: RouteDef, fixtures: Fixtures): fc.Arbitrary<Defect> {
  const candidates = [
    badParameter(route),
    refusedByData(route, fixtures),
    badBody(route),
    badBody(route),
    badContentType(route),
    badIdempotencyKey(route),
    badPage(route, fixtures),
    badPage(route, fixtures),
    badMethod(route),
    badEncoding(),
  ].filter((candidate): candidate is fc.Arbitrary<Defect> => candidate !== undefined)
  return fc.oneof(...candidates)
}

function toRequest(route: string, part: Part): HostileRequest {
  const query = part.query
    .map(([name, value]) => `${encodeSegment(name)}=${encodeSegment(value)}`)
    .join('&')
  const body =
    part.body === undefined
      ? undefined
      : 'raw' in part.body
        ? part.body.raw
        : Buffer.from(JSON.stringify(part.body.json) ?? 'null')
  return {
    route,
    method: part.method,
    target: `/${part.segments.join('/')}${query ? `?${query}` : ''}`,
    headers: part.headers,
    body,
    defects: part.defects,
  }
}

/** Hostile requests made from one route of the API, each with one to three defects. */
export function hostileRequestsFor(
  route: RouteDef,
  fixtures: Fixtures,
): fc.Arbitrary<HostileRequest> {
  return fc
    .record({
      defects: fc.array(defectsOf(route, fixtures), { minLength: 1, maxLength: 3 }),
      noise: noiseHeaders,
    })
    .map(({ defects, noise }) => {
      let part = validPart(route, fixtures)
      for (const defect of defects) part = defect(part)
      return toRequest(route.id, { ...part, headers: [...part.headers, ...noise] })
    })
}

/** Paths no route matches (404 from the `$default` route) and known paths with a method they lack (405). */
export function fallbackRequests(
  kind: 'notFound' | 'methodNotAllowed',
): fc.Arbitrary<HostileRequest> {
  if (kind === 'methodNotAllowed') {
    return fc
      .tuple(fc.constantFrom(...API_ROUTES), noiseHeaders)
      .chain(([route, noise]) => badMethod(route).map((defect) => ({ route, noise, defect })))
      .map(({ route, noise, defect }) => {
        const part = defect({
          ...validPart(route, {
            student: 'stu_aaaaaaaaaaaaaaaa',
            loner: 'stu_bbbbbbbbbbbbbbbb',
            fullCourse: 'crs_aaaaaaaaaaaaaaaa',
            openCourse: 'crs_bbbbbbbbbbbbbbbb',
          }),
          body: undefined,
          headers: [],
        })
        return toRequest('methodNotAllowed', { ...part, headers: noise })
      })
  }
  return fc
    .tuple(
      fc.array(
        fc.oneof(
          fc.constantFrom('students', 'courses', 'health', 'grades', 'enrollments', '..', '.', ''),
          hostileString,
        ),
        { minLength: 1, maxLength: 5 },
      ),
      fc.constantFrom('GET', 'POST', 'PUT', 'DELETE', 'PATCH'),
      noiseHeaders,
    )
    .map(([segments, method, noise]) => ({ segments: segments.map(encodeSegment), method, noise }))
    .filter(({ segments, method }) => {
      try {
        return matcher.match(method, `/${segments.join('/')}`)?.routeKey === '$default'
      } catch {
        return false
      }
    })
    .map(({ segments, method, noise }) =>
      toRequest('notFound', {
        method,
        segments,
        query: [],
        headers: noise,
        body: undefined,
        defects: [`path /${segments.join('/')}`],
      }),
    )
}

/** Whether `text` is a well-formed id: used to check what the fixtures are. */
export const isStudentId = (text: string) => studentIdSchema.safeParse(text).success
export const isCourseId = (text: string) => courseIdSchema.safeParse(text).success
export { COURSE_ID, STUDENT_ID }
