import { type Endpoint, REQUEST_KINDS, type RequestKindName } from '../contract.js'
import type { OutgoingRequest } from '../http/target.js'
import { courseBody, randomGrade, studentBody } from './bodies.js'
import { type DataPool, pairKey } from './data-pool.js'
import type { WriteLedger, WriteOutcome } from './ledger.js'
import type { SeededRandom } from './random.js'

/** The final word on one logical request (after any retries). */
export interface FinalOutcome {
  statusCode: number
  retryAfterSeconds: number | undefined
  body: string | undefined
  failure: 'connection' | 'timeout' | undefined
}

/** A request ready to send, with what to do once its final outcome is known. */
export interface PreparedRequest {
  readonly kind: RequestKindName
  readonly endpoint: Endpoint
  readonly request: OutgoingRequest
  readonly wantBody: boolean
  readonly expectedStatuses: readonly number[]
  readonly settle?: (outcome: FinalOutcome) => void
}

/** Shared state every request kind draws on. */
export interface WorkloadContext {
  /** Draws generated bodies and grades: the same seed gives the same bodies in the same order. */
  readonly bodyRandom: SeededRandom
  /** Draws which existing ids a request refers to (these depend on what the target acknowledged). */
  readonly pickRandom: SeededRandom
  readonly pool: DataPool
  readonly ledger: WriteLedger
  readonly pageSize: number
  readonly courseCapacity: number
  /** A run-unique key for the `Idempotency-Key` header of a POST (reused on its retries). */
  idempotencyKey(): string
  /** A number that keeps generated names and emails distinct within a run. */
  nextSequence(): number
}

/** What a write's outcome says about whether it was applied. */
export function writeOutcomeOf(outcome: FinalOutcome): WriteOutcome {
  const status = outcome.statusCode
  if (outcome.failure) return 'ambiguous'
  if (status >= 200 && status < 300) return 'acknowledged'
  if (status === 429 || (status === 503 && outcome.retryAfterSeconds !== undefined))
    return 'rejected'
  if (status >= 500) return 'ambiguous'
  return 'rejected'
}

function jsonField(body: string | undefined, field: string): string | undefined {
  if (!body) return undefined
  try {
    const value = (JSON.parse(body) as Record<string, unknown>)[field]
    return typeof value === 'string' ? value : undefined
  } catch {
    return undefined
  }
}

const segment = encodeURIComponent

function postJson(
  context: WorkloadContext,
  headers: Record<string, string>,
  path: string,
  body: unknown,
): OutgoingRequest {
  const postHeaders = {
    ...headers,
    'content-type': 'application/json',
    'idempotency-key': context.idempotencyKey(),
  }
  return { method: 'POST', path, body: JSON.stringify(body), headers: postHeaders }
}

function get(path: string, headers: Record<string, string>): OutgoingRequest {
  return { method: 'GET', path, headers }
}

type Builder = (context: WorkloadContext, headers: Record<string, string>) => PreparedRequest

const createStudent: Builder = (context, headers) => {
  const body = studentBody(context.bodyRandom, context.nextSequence())
  return {
    kind: 'createStudent',
    endpoint: REQUEST_KINDS.createStudent,
    request: postJson(context, headers, '/students', body),
    wantBody: true,
    expectedStatuses: [201],
    settle(outcome) {
      const studentId =
        outcome.statusCode === 201 ? jsonField(outcome.body, 'studentId') : undefined
      if (studentId) {
        context.pool.addStudent(studentId)
        context.ledger.student(studentId, body)
      } else if (writeOutcomeOf(outcome) === 'ambiguous') context.ledger.ambiguous()
    },
  }
}

const createCourse: Builder = (context, headers) => {
  const body = courseBody(context.bodyRandom, context.nextSequence(), context.courseCapacity)
  return {
    kind: 'createCourse',
    endpoint: REQUEST_KINDS.createCourse,
    request: postJson(context, headers, '/courses', body),
    wantBody: true,
    expectedStatuses: [201],
    settle(outcome) {
      const courseId = outcome.statusCode === 201 ? jsonField(outcome.body, 'courseId') : undefined
      if (courseId) {
        context.pool.addCourse(courseId)
        context.ledger.course(courseId, body)
      } else if (writeOutcomeOf(outcome) === 'ambiguous') context.ledger.ambiguous()
    },
  }
}

const getStudent: Builder = (context, headers) => {
  const studentId = context.pickRandom.pick(context.pool.studentIds)
  return {
    kind: 'getStudent',
    endpoint: REQUEST_KINDS.getStudent,
    request: get(`/students/${segment(studentId)}`, headers),
    wantBody: false,
    expectedStatuses: [200],
  }
}

const getStudentGrades: Builder = (context, headers) => {
  const studentId = context.pickRandom.pick(context.pool.studentIds)
  return {
    kind: 'getStudentGrades',
    endpoint: REQUEST_KINDS.getStudentGrades,
    request: get(`/students/${segment(studentId)}/grades`, headers),
    wantBody: false,
    expectedStatuses: [200],
  }
}

const getCourse: Builder = (context, headers) => {
  const courseId = context.pickRandom.pick(context.pool.courseIds)
  return {
    kind: 'getCourse',
    endpoint: REQUEST_KINDS.getCourse,
    request: get(`/courses/${segment(courseId)}`, headers),
    wantBody: false,
    expectedStatuses: [200],
  }
}

const listCourses: Builder = (context, headers) => {
  // About a third of listings continue from a page seen earlier, as a browsing user would.
  const cursor =
    context.pickRandom.next() < 1 / 3 ? context.pool.someCursor(context.pickRandom) : undefined
  const query = `?limit=${context.pageSize}${cursor ? `&cursor=${segment(cursor)}` : ''}`
  return {
    kind: 'listCourses',
    endpoint: REQUEST_KINDS.listCourses,
    request: get(`/courses${query}`, headers),
    wantBody: true,
    expectedStatuses: [200],
    settle(outcome) {
      const next = outcome.statusCode === 200 ? jsonField(outcome.body, 'nextCursor') : undefined
      if (next) context.pool.rememberCursor(next, context.pickRandom)
    },
  }
}

const listEnrollments: Builder = (context, headers) => {
  const courseId = context.pickRandom.pick(context.pool.courseIds)
  return {
    kind: 'listEnrollments',
    endpoint: REQUEST_KINDS.listEnrollments,
    request: get(`/courses/${segment(courseId)}/enrollments?limit=${context.pageSize}`, headers),
    wantBody: false,
    expectedStatuses: [200],
  }
}

/** Picks a pair that is neither enrolled nor being enrolled, trying a few times before giving up. */
function pickNewPair(context: WorkloadContext): { courseId: string; studentId: string } {
  const { pool, pickRandom: random } = context
  let courseId = random.pick(pool.courseIds)
  let studentId = random.pick(pool.studentIds)
  for (let tries = 0; tries < 4; tries += 1) {
    const key = pairKey(courseId, studentId)
    if (!pool.isEnrolled(courseId, studentId) && !pool.enrollmentsInFlight.has(key)) break
    courseId = random.pick(pool.courseIds)
    studentId = random.pick(pool.studentIds)
  }
  return { courseId, studentId }
}

const enroll: Builder = (context, headers) => {
  const { courseId, studentId } = pickNewPair(context)
  const key = pairKey(courseId, studentId)
  context.pool.enrollmentsInFlight.add(key)
  return {
    kind: 'enroll',
    endpoint: REQUEST_KINDS.enroll,
    request: postJson(context, headers, `/courses/${segment(courseId)}/enrollments`, { studentId }),
    wantBody: false,
    // 409 is the API's answer to a full course or a repeated enrollment: expected under load.
    expectedStatuses: [201, 409],
    settle(outcome) {
      context.pool.enrollmentsInFlight.delete(key)
      const verdict = writeOutcomeOf(outcome)
      if (verdict === 'acknowledged') {
        context.pool.addEnrollment(courseId, studentId)
        context.ledger.enrollment(courseId, studentId)
      } else if (outcome.statusCode === 409 && outcome.body?.includes('already_enrolled')) {
        context.pool.addEnrollment(courseId, studentId)
      } else if (verdict === 'ambiguous') context.ledger.ambiguous()
    },
  }
}

const putGrade: Builder = (context, headers) => {
  const { pool, pickRandom: random } = context
  let pair = random.pick(pool.enrollments)
  for (
    let tries = 0;
    tries < 4 && pool.gradesInFlight.has(pairKey(pair.courseId, pair.studentId));
    tries += 1
  ) {
    pair = random.pick(pool.enrollments)
  }
  const { courseId, studentId } = pair
  const key = pairKey(courseId, studentId)
  const grade = randomGrade(context.bodyRandom)
  const write = context.ledger.gradeSent(courseId, studentId, grade)
  pool.gradesInFlight.add(key)
  return {
    kind: 'putGrade',
    endpoint: REQUEST_KINDS.putGrade,
    request: {
      method: 'PUT',
      path: `/courses/${segment(courseId)}/grades/${segment(studentId)}`,
      body: JSON.stringify({ grade }),
      headers: { ...headers, 'content-type': 'application/json' },
    },
    wantBody: false,
    expectedStatuses: [200, 201],
    settle(outcome) {
      pool.gradesInFlight.delete(key)
      context.ledger.gradeSettled(courseId, studentId, write, writeOutcomeOf(outcome))
    },
  }
}

const health: Builder = (_context, headers) => ({
  kind: 'health',
  endpoint: REQUEST_KINDS.health,
  request: get('/health', headers),
  wantBody: false,
  expectedStatuses: [200],
})

const BUILDERS: Record<RequestKindName, Builder> = {
  createStudent,
  getStudent,
  createCourse,
  listCourses,
  getCourse,
  enroll,
  listEnrollments,
  putGrade,
  getStudentGrades,
  health,
}

/**
 * The kind to send instead when the data a kind needs does not exist yet: nothing to grade
 * before an enrollment, nothing to enroll before a student and a course.
 */
function feasibleKind(kind: RequestKindName, pool: DataPool): RequestKindName {
  const needsStudent = kind === 'getStudent' || kind === 'getStudentGrades' || kind === 'enroll'
  const needsCourse = kind === 'getCourse' || kind === 'listEnrollments' || kind === 'enroll'
  if (needsStudent && pool.studentIds.length === 0) return 'createStudent'
  if (needsCourse && pool.courseIds.length === 0) return 'createCourse'
  if (kind === 'putGrade' && pool.enrollments.length === 0) return feasibleKind('enroll', pool)
  return kind
}

/** Builds one request of the given kind, or of the kind it depends on when its data is missing. */
export function prepareRequest(
  kind: RequestKindName,
  context: WorkloadContext,
  headers: Record<string, string>,
): PreparedRequest {
  return BUILDERS[feasibleKind(kind, context.pool)](context, headers)
}
