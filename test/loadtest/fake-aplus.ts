import { randomBytes } from 'node:crypto'
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http'
import type { AddressInfo } from 'node:net'

/**
 * A small in-memory implementation of the A+ API contract, for testing the load tester on its
 * own branch. It is a test double of a server that does not exist here, not of anything that runs.
 */
export interface FakeAplusOptions {
  /** Acknowledge every Nth write (POST or PUT with 2xx) but do not store it. */
  dropEveryNthWrite?: number
  /** Store every Nth acknowledged enrollment twice. */
  duplicateEveryNthEnrollment?: number
  /** Answer 401 to anything but GET /health without one of these bearer tokens. */
  bearerTokens?: readonly string[]
}

interface Course {
  courseId: string
  title: string
  capacity: number
  enrolled: number
  createdAt: string
}

const ALPHABET = 'abcdefghijklmnopqrstuvwxyz234567'
const GRADES = new Set(['A+', 'A', 'A-', 'B+', 'B', 'B-', 'C+', 'C', 'C-', 'D+', 'D', 'D-', 'F'])

function newId(prefix: string): string {
  const bytes = randomBytes(16)
  return prefix + Array.from(bytes, (byte) => ALPHABET[byte % 32]).join('')
}

export interface FakeAplus {
  url: string
  server: Server
  writes: { acknowledged: number; dropped: number }
  /** Requests by the bearer token they carried. */
  tokensSeen: Map<string, number>
  close(): Promise<void>
}

export async function startFakeAplus(options: FakeAplusOptions = {}): Promise<FakeAplus> {
  const students = new Map<
    string,
    { studentId: string; name: string; email: string; createdAt: string }
  >()
  const courses = new Map<string, Course>()
  const courseOrder: string[] = []
  const enrollments = new Map<string, { studentId: string; enrolledAt: string; grade?: string }[]>()
  const grades = new Map<string, { courseId: string; grade: string; gradedAt: string }[]>()
  const writes = { acknowledged: 0, dropped: 0, enrollments: 0 }
  const tokensSeen = new Map<string, number>()

  /** Counts an acknowledged write; true when this one is to be dropped. */
  const dropThisWrite = () => {
    writes.acknowledged += 1
    const drop =
      options.dropEveryNthWrite !== undefined &&
      writes.acknowledged % options.dropEveryNthWrite === 0
    if (drop) writes.dropped += 1
    return drop
  }

  const send = (response: ServerResponse, status: number, body: unknown) => {
    response.writeHead(status, { 'content-type': 'application/json' })
    response.end(JSON.stringify(body))
  }
  const fail = (response: ServerResponse, status: number, code: string) =>
    send(response, status, { error: { code, message: code.replace(/_/g, ' ') } })

  const page = <T>(items: T[], url: URL) => {
    const limit = Math.min(100, Math.max(1, Number(url.searchParams.get('limit') ?? 20)))
    const start = Number(
      Buffer.from(url.searchParams.get('cursor') ?? '', 'base64url').toString() || 0,
    )
    const slice = items.slice(start, start + limit)
    const next =
      start + limit < items.length
        ? Buffer.from(String(start + limit)).toString('base64url')
        : undefined
    return next ? { items: slice, nextCursor: next } : { items: slice }
  }

  const handle = (request: IncomingMessage, response: ServerResponse, raw: string) => {
    const url = new URL(request.url ?? '/', 'http://fake')
    const parts = url.pathname.split('/').filter(Boolean)
    const method = request.method
    let body: Record<string, unknown> = {}
    if (raw) {
      try {
        body = JSON.parse(raw)
      } catch {
        return fail(response, 400, 'malformed_json')
      }
    }
    const now = new Date().toISOString()

    const token = request.headers.authorization?.replace(/^Bearer /, '')
    if (token !== undefined) tokensSeen.set(token, (tokensSeen.get(token) ?? 0) + 1)
    if (method === 'GET' && url.pathname === '/health') return send(response, 200, { status: 'ok' })
    if (options.bearerTokens && !options.bearerTokens.includes(token ?? '')) {
      return fail(response, 401, 'unauthenticated')
    }
    if (method === 'POST' && url.pathname === '/students') {
      if (typeof body.name !== 'string' || typeof body.email !== 'string')
        return fail(response, 400, 'invalid_body')
      const student = {
        studentId: newId('stu_'),
        name: body.name,
        email: body.email,
        createdAt: now,
      }
      if (!dropThisWrite()) students.set(student.studentId, student)
      return send(response, 201, student)
    }
    if (method === 'GET' && parts[0] === 'students' && parts.length === 2) {
      const student = students.get(parts[1] ?? '')
      return student ? send(response, 200, student) : fail(response, 404, 'student_not_found')
    }
    if (method === 'GET' && parts[0] === 'students' && parts[2] === 'grades') {
      const studentId = parts[1] ?? ''
      if (!students.has(studentId)) return fail(response, 404, 'student_not_found')
      return send(response, 200, { studentId, grades: grades.get(studentId) ?? [] })
    }
    if (method === 'POST' && url.pathname === '/courses') {
      if (typeof body.title !== 'string' || typeof body.capacity !== 'number')
        return fail(response, 400, 'invalid_body')
      const course = {
        courseId: newId('crs_'),
        title: body.title,
        capacity: body.capacity,
        enrolled: 0,
        createdAt: now,
      }
      if (!dropThisWrite()) {
        courses.set(course.courseId, course)
        courseOrder.push(course.courseId)
      }
      return send(response, 201, course)
    }
    if (method === 'GET' && url.pathname === '/courses') {
      return send(
        response,
        200,
        page(
          courseOrder.map((id) => courses.get(id)),
          url,
        ),
      )
    }
    const course = parts[0] === 'courses' ? courses.get(parts[1] ?? '') : undefined
    if (method === 'GET' && parts[0] === 'courses' && parts.length === 2) {
      return course ? send(response, 200, course) : fail(response, 404, 'course_not_found')
    }
    if (parts[0] === 'courses' && parts[2] === 'enrollments' && parts.length === 3) {
      if (!course) return fail(response, 404, 'course_not_found')
      const list = enrollments.get(course.courseId) ?? []
      enrollments.set(course.courseId, list)
      if (method === 'GET')
        return send(
          response,
          200,
          page(
            list.map((entry) => ({ courseId: course.courseId, ...entry })),
            url,
          ),
        )
      const studentId = String(body.studentId)
      if (!students.has(studentId)) return fail(response, 404, 'student_not_found')
      if (list.some((entry) => entry.studentId === studentId))
        return fail(response, 409, 'already_enrolled')
      if (course.enrolled >= course.capacity) return fail(response, 409, 'course_full')
      if (!dropThisWrite()) {
        writes.enrollments += 1
        const copies =
          options.duplicateEveryNthEnrollment &&
          writes.enrollments % options.duplicateEveryNthEnrollment === 0
            ? 2
            : 1
        for (let copy = 0; copy < copies; copy += 1) list.push({ studentId, enrolledAt: now })
        course.enrolled += 1
      }
      return send(response, 201, { courseId: course.courseId, studentId, enrolledAt: now })
    }
    if (method === 'PUT' && parts[0] === 'courses' && parts[2] === 'grades' && parts.length === 4) {
      if (!course) return fail(response, 404, 'course_not_found')
      const studentId = parts[3] ?? ''
      const enrollment = enrollments
        .get(course.courseId)
        ?.find((entry) => entry.studentId === studentId)
      if (!enrollment) return fail(response, 404, 'not_enrolled')
      if (typeof body.grade !== 'string' || !GRADES.has(body.grade))
        return fail(response, 400, 'invalid_grade')
      const list = grades.get(studentId) ?? []
      grades.set(studentId, list)
      const existing = list.find((entry) => entry.courseId === course.courseId)
      if (!dropThisWrite()) {
        if (existing) Object.assign(existing, { grade: body.grade, gradedAt: now })
        else list.push({ courseId: course.courseId, grade: body.grade, gradedAt: now })
        enrollment.grade = body.grade
      }
      return send(response, existing ? 200 : 201, {
        courseId: course.courseId,
        studentId,
        grade: body.grade,
        gradedAt: now,
      })
    }
    return fail(response, 404, 'route_not_found')
  }

  const server = createServer((request, response) => {
    const chunks: Buffer[] = []
    request.on('data', (chunk: Buffer) => chunks.push(chunk))
    request.on('end', () => handle(request, response, Buffer.concat(chunks).toString('utf8')))
  })
  server.keepAliveTimeout = 30_000
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const { port } = server.address() as AddressInfo
  return {
    url: `http://127.0.0.1:${port}`,
    server,
    writes,
    tokensSeen,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections()
        server.close(() => resolve())
      }),
  }
}
