import { describe, expect, it } from 'vitest'
import type { ApiClient } from '../support/api-client.js'
import { withBearer } from '../support/api-client.js'
import { describeAuthorizationContract } from './authorization-contract.js'
import type { ContractHarness } from './harness.js'

export type { ContractHarness } from './harness.js'

let sequence = 0
function unique(label: string): string {
  sequence += 1
  return `${label} ${Date.now().toString(36)}-${sequence}`
}

/**
 * The A+ API's behaviour, written once and run against every way of serving it (function
 * entries in-process, bundles, the local cloud over HTTP), so all of them answer alike. Requests
 * carry an instructor's token, who may do everything; the authorization section tries the
 * other identities.
 */
export function describeApiContract(name: string, harness: () => ContractHarness): void {
  const api = () => withBearer(harness().client, harness().tokens.instructor)

  async function createStudent(overrides: Record<string, unknown> = {}) {
    const response = await api().request('POST', '/students', {
      body: { name: unique('Student'), email: 'student@example.com', ...overrides },
    })
    expect(response.status).toBe(201)
    return response.body as { studentId: string; name: string }
  }

  async function createCourse(capacity = 30) {
    const response = await api().request('POST', '/courses', {
      body: { title: unique('Course'), capacity },
    })
    expect(response.status).toBe(201)
    return response.body as { courseId: string; title: string }
  }

  async function enroll(courseId: string, studentId: string) {
    return api().request('POST', `/courses/${courseId}/enrollments`, { body: { studentId } })
  }

  /** Runs a request that must be refused and checks that the table is exactly as before. */
  async function expectRefusedWithoutWrites(
    method: string,
    path: string,
    options: Parameters<ApiClient['request']>[2],
    status: number,
    code: string,
  ) {
    const before = await harness().storedItems()
    const response = await api().request(method, path, options)
    expect(response.status).toBe(status)
    expect(response.body.error.code).toBe(code)
    expect(typeof response.body.error.message).toBe('string')
    expect(await harness().storedItems()).toEqual(before)
    return response
  }

  describe(`the A+ API contract, ${name}`, () => {
    describe('students', () => {
      it('creates a student and reads it back', async () => {
        const created = await api().request('POST', '/students', {
          body: { name: 'Ada Lovelace', email: 'ada@example.com' },
        })
        expect(created.status).toBe(201)
        expect(created.body).toMatchObject({ name: 'Ada Lovelace', email: 'ada@example.com' })
        expect(created.body.studentId).toMatch(/^stu_[a-z2-7]{16}$/)
        expect(created.headers.location).toBe(`/students/${created.body.studentId}`)

        const read = await api().request('GET', `/students/${created.body.studentId}`)
        expect(read.status).toBe(200)
        expect(read.body).toEqual(created.body)
      })

      it('answers 404 for a student that does not exist', async () => {
        const response = await api().request('GET', '/students/stu_aaaaaaaaaaaaaaaa')
        expect(response.status).toBe(404)
        expect(response.body.error.code).toBe('student_not_found')
      })

      it('answers 400 naming the path parameter when an id has the wrong shape', async () => {
        const response = await api().request('GET', '/students/not-an-id')
        expect(response.status).toBe(400)
        expect(response.body.error.fields).toEqual([
          { field: 'path.studentId', problem: expect.stringContaining('stu_') },
        ])
      })

      it('refuses missing fields, naming each', async () => {
        const response = await expectRefusedWithoutWrites(
          'POST',
          '/students',
          { body: {} },
          400,
          'invalid_body',
        )
        expect(response.body.error.fields).toEqual([
          { field: 'body.name', problem: 'is required' },
          { field: 'body.email', problem: 'is required' },
        ])
      })

      it('refuses wrong types and unknown fields', async () => {
        const response = await expectRefusedWithoutWrites(
          'POST',
          '/students',
          { body: { name: 42, email: 'ada@example.com', admin: true } },
          400,
          'invalid_body',
        )
        expect(response.body.error.message).toContain('body.name must be a string, got number')
        expect(response.body.error.message).toContain('body.admin is not a known field')
      })

      it('refuses a __proto__ key as an unknown field', async () => {
        await expectRefusedWithoutWrites(
          'POST',
          '/students',
          { body: '{"name":"Eve","email":"eve@example.com","__proto__":{"admin":true}}' },
          400,
          'invalid_body',
        )
      })

      it('refuses strings over their length limit and text with control characters', async () => {
        const long = await expectRefusedWithoutWrites(
          'POST',
          '/students',
          { body: { name: 'x'.repeat(101), email: 'ada@example.com' } },
          400,
          'invalid_body',
        )
        expect(long.body.error.message).toContain('body.name must be at most 100 characters')
        await expectRefusedWithoutWrites(
          'POST',
          '/students',
          { body: { name: 'Ada\u0000', email: 'ada@example.com' } },
          400,
          'invalid_body',
        )
      })

      it('refuses malformed JSON, an empty body and a non-JSON content type', async () => {
        await expectRefusedWithoutWrites(
          'POST',
          '/students',
          { body: '{"name": "Ada",' },
          400,
          'malformed_json',
        )
        await expectRefusedWithoutWrites('POST', '/students', {}, 400, 'body_required')
        await expectRefusedWithoutWrites(
          'POST',
          '/students',
          { body: 'name=Ada', headers: { 'content-type': 'application/x-www-form-urlencoded' } },
          415,
          'unsupported_media_type',
        )
      })

      it('refuses a body over the stated limit with 413', async () => {
        await expectRefusedWithoutWrites(
          'POST',
          '/students',
          { body: { name: 'Ada', email: 'ada@example.com', padding: 'x'.repeat(20_000) } },
          413,
          'payload_too_large',
        )
      })
    })

    describe('courses', () => {
      it('creates a course with no seats taken and reads it back', async () => {
        const created = await api().request('POST', '/courses', {
          body: { title: 'Algebra I', capacity: 2 },
        })
        expect(created.status).toBe(201)
        expect(created.body).toMatchObject({ title: 'Algebra I', capacity: 2, enrolled: 0 })
        const read = await api().request('GET', `/courses/${created.body.courseId}`)
        expect(read.body).toEqual(created.body)
      })

      it('refuses capacities that are not whole numbers from 1 to 1000', async () => {
        for (const capacity of [0, 1001, 1.5, '10', null]) {
          await expectRefusedWithoutWrites(
            'POST',
            '/courses',
            { body: { title: 'Geometry', capacity } },
            400,
            'invalid_body',
          )
        }
      })

      it('answers 404 for a course that does not exist', async () => {
        const response = await api().request('GET', '/courses/crs_aaaaaaaaaaaaaaaa')
        expect(response.status).toBe(404)
        expect(response.body.error.code).toBe('course_not_found')
      })

      it('lists the catalogue page by page, each course exactly once', async () => {
        const created = [await createCourse(), await createCourse(), await createCourse()]
        const seen: string[] = []
        let cursor: string | undefined
        for (let page = 0; page < 100; page += 1) {
          const query = cursor ? `?limit=2&cursor=${encodeURIComponent(cursor)}` : '?limit=2'
          const response = await api().request('GET', `/courses${query}`)
          expect(response.status).toBe(200)
          expect(response.body.items.length).toBeLessThanOrEqual(2)
          seen.push(...response.body.items.map((item: { courseId: string }) => item.courseId))
          cursor = response.body.nextCursor
          if (!cursor) break
        }
        expect(cursor).toBeUndefined()
        for (const course of created) {
          expect(seen.filter((id) => id === course.courseId)).toHaveLength(1)
        }
      })

      it('refuses bad page sizes, unknown query parameters and forged cursors', async () => {
        for (const query of ['limit=0', 'limit=101', 'limit=ten', 'sort=title']) {
          const response = await api().request('GET', `/courses?${query}`)
          expect(response.status).toBe(400)
          expect(response.body.error.code).toBe('invalid_query')
        }
        const forged = Buffer.from(
          JSON.stringify({
            pk: 'STUDENT#x',
            sk: 'PROFILE',
            gsi1pk: 'STUDENT#x',
            gsi1sk: 'GRADE#y',
          }),
        ).toString('base64url')
        for (const cursor of ['%%%', 'bm90IGpzb24', forged]) {
          const response = await api().request('GET', `/courses?cursor=${cursor}`)
          expect(response.status).toBe(400)
          expect(response.body.error.code).toBe('invalid_cursor')
        }
      })
    })

    describe('enrollments', () => {
      it('enrolls a student, takes a seat and lists the enrollment', async () => {
        const course = await createCourse(5)
        const student = await createStudent()
        const enrolled = await enroll(course.courseId, student.studentId)
        expect(enrolled.status).toBe(201)
        expect(enrolled.body).toMatchObject({
          courseId: course.courseId,
          studentId: student.studentId,
        })

        const read = await api().request('GET', `/courses/${course.courseId}`)
        expect(read.body.enrolled).toBe(1)
        const listed = await api().request('GET', `/courses/${course.courseId}/enrollments`)
        expect(listed.body.items).toEqual([enrolled.body])
      })

      it('answers 409 to a second enrollment and takes no second seat', async () => {
        const course = await createCourse(5)
        const student = await createStudent()
        await enroll(course.courseId, student.studentId)
        const response = await expectRefusedWithoutWrites(
          'POST',
          `/courses/${course.courseId}/enrollments`,
          { body: { studentId: student.studentId } },
          409,
          'already_enrolled',
        )
        expect(response.body.error.message).toContain(student.studentId)
      })

      it('answers 409 when the course is full', async () => {
        const course = await createCourse(1)
        await enroll(course.courseId, (await createStudent()).studentId)
        const late = await createStudent()
        await expectRefusedWithoutWrites(
          'POST',
          `/courses/${course.courseId}/enrollments`,
          { body: { studentId: late.studentId } },
          409,
          'course_full',
        )
      })

      it('answers 404 for a missing course or a missing student, storing nothing', async () => {
        const course = await createCourse()
        const student = await createStudent()
        await expectRefusedWithoutWrites(
          'POST',
          '/courses/crs_aaaaaaaaaaaaaaaa/enrollments',
          { body: { studentId: student.studentId } },
          404,
          'course_not_found',
        )
        await expectRefusedWithoutWrites(
          'POST',
          `/courses/${course.courseId}/enrollments`,
          { body: { studentId: 'stu_aaaaaaaaaaaaaaaa' } },
          404,
          'student_not_found',
        )
      })

      it('gives the last seats to exactly as many concurrent requests as there are seats', async () => {
        const seats = 3
        const course = await createCourse(seats)
        const students = await Promise.all(Array.from({ length: 8 }, () => createStudent()))
        const answers = await Promise.all(
          students.map((student) => enroll(course.courseId, student.studentId)),
        )
        const statuses = answers.map((answer) => answer.status).sort()
        expect(statuses).toEqual([201, 201, 201, 409, 409, 409, 409, 409])
        const read = await api().request('GET', `/courses/${course.courseId}`)
        expect(read.body.enrolled).toBe(seats)
        const listed = await api().request('GET', `/courses/${course.courseId}/enrollments`)
        expect(listed.body.items).toHaveLength(seats)
      })

      it('lists enrollments page by page and answers 404 for an unknown course', async () => {
        const course = await createCourse()
        const students = [await createStudent(), await createStudent(), await createStudent()]
        for (const student of students) await enroll(course.courseId, student.studentId)
        const seen: string[] = []
        let cursor: string | undefined
        do {
          const query = cursor ? `?limit=1&cursor=${encodeURIComponent(cursor)}` : '?limit=1'
          const page = await api().request('GET', `/courses/${course.courseId}/enrollments${query}`)
          expect(page.status).toBe(200)
          seen.push(...page.body.items.map((item: { studentId: string }) => item.studentId))
          cursor = page.body.nextCursor
        } while (cursor && seen.length < 10)
        expect(seen.sort()).toEqual(students.map((student) => student.studentId).sort())

        const missing = await api().request('GET', '/courses/crs_aaaaaaaaaaaaaaaa/enrollments')
        expect(missing.status).toBe(404)
        expect(missing.body.error.code).toBe('course_not_found')
      })
    })

    describe('grades', () => {
      it('records a grade (201), replaces it (200) and shows the latest in the transcript', async () => {
        const course = await createCourse()
        const student = await createStudent()
        await enroll(course.courseId, student.studentId)
        const path = `/courses/${course.courseId}/grades/${student.studentId}`

        const first = await api().request('PUT', path, { body: { grade: 'B+' } })
        expect(first.status).toBe(201)
        expect(first.body).toMatchObject({
          courseId: course.courseId,
          studentId: student.studentId,
          grade: 'B+',
        })
        const second = await api().request('PUT', path, { body: { grade: 'A-' } })
        expect(second.status).toBe(200)

        const transcript = await api().request('GET', `/students/${student.studentId}/grades`)
        expect(transcript.status).toBe(200)
        expect(transcript.body).toEqual({
          studentId: student.studentId,
          grades: [{ courseId: course.courseId, grade: 'A-', gradedAt: second.body.gradedAt }],
        })
      })

      it('refuses a grade for a student who is not enrolled, storing nothing', async () => {
        const course = await createCourse()
        const student = await createStudent()
        await expectRefusedWithoutWrites(
          'PUT',
          `/courses/${course.courseId}/grades/${student.studentId}`,
          { body: { grade: 'A' } },
          404,
          'not_enrolled',
        )
      })

      it('refuses a grade that is not on the scale, listing the scale', async () => {
        const course = await createCourse()
        const student = await createStudent()
        await enroll(course.courseId, student.studentId)
        const response = await expectRefusedWithoutWrites(
          'PUT',
          `/courses/${course.courseId}/grades/${student.studentId}`,
          { body: { grade: 'E' } },
          400,
          'invalid_body',
        )
        expect(response.body.error.message).toContain('A+, A, A-')
      })

      it('gives an empty transcript to a student without grades and 404 to an unknown one', async () => {
        const student = await createStudent()
        const empty = await api().request('GET', `/students/${student.studentId}/grades`)
        expect(empty.body).toEqual({ studentId: student.studentId, grades: [] })
        const missing = await api().request('GET', '/students/stu_aaaaaaaaaaaaaaaa/grades')
        expect(missing.status).toBe(404)
      })
    })

    describe('idempotent creates', () => {
      const key = () => `key-${unique('k').replace(/\W/g, '-')}`

      it('replays the first answer to a repeated create and stores one student', async () => {
        const headers = { 'idempotency-key': key() }
        const body = { name: 'Ada', email: 'ada@example.com' }
        const first = await api().request('POST', '/students', { body, headers })
        expect(first.status).toBe(201)
        expect(first.headers['idempotent-replayed']).toBeUndefined()
        const before = await harness().storedItems()
        const again = await api().request('POST', '/students', { body, headers })
        expect(again.status).toBe(201)
        expect(again.headers['idempotent-replayed']).toBe('true')
        expect(again.body).toEqual(first.body)
        expect(await harness().storedItems()).toEqual(before)
      })

      it('answers 422 to a key reused with a different request, storing nothing', async () => {
        const headers = { 'idempotency-key': key() }
        await api().request('POST', '/courses', { body: { title: 'Logic', capacity: 5 }, headers })
        await expectRefusedWithoutWrites(
          'POST',
          '/courses',
          { body: { title: 'Logic', capacity: 6 }, headers },
          422,
          'idempotency_key_reused',
        )
      })

      it('answers 400 to a malformed key, storing nothing', async () => {
        for (const bad of ['has spaces', 'x'.repeat(101), 'a/b']) {
          await expectRefusedWithoutWrites(
            'POST',
            '/students',
            {
              body: { name: 'Ada', email: 'ada@example.com' },
              headers: { 'idempotency-key': bad },
            },
            400,
            'invalid_idempotency_key',
          )
        }
      })

      it('replays a repeated enrollment instead of answering 409, taking one seat', async () => {
        const course = await createCourse(5)
        const student = await createStudent()
        const request = {
          body: { studentId: student.studentId },
          headers: { 'idempotency-key': key() },
        }
        const path = `/courses/${course.courseId}/enrollments`
        const first = await api().request('POST', path, request)
        const again = await api().request('POST', path, request)
        expect([first.status, again.status]).toEqual([201, 201])
        expect(again.body).toEqual(first.body)
        expect(again.headers['idempotent-replayed']).toBe('true')
        const unkeyed = await enroll(course.courseId, student.studentId)
        expect(unkeyed.status).toBe(409)
        const read = await api().request('GET', `/courses/${course.courseId}`)
        expect(read.body.enrolled).toBe(1)
      })
    })

    describe('routing', () => {
      it('answers 404 in the API error shape for an unknown path', async () => {
        const response = await api().request('GET', '/teachers')
        expect(response.status).toBe(404)
        expect(response.body.error.code).toBe('route_not_found')
      })

      it('answers 405 with an Allow header for a known path with another method', async () => {
        const response = await api().request('DELETE', '/courses')
        expect(response.status).toBe(405)
        expect(response.headers.allow).toBe('POST, GET')
        expect(response.body.error.code).toBe('method_not_allowed')
      })

      it('reports health without touching the table', async () => {
        const before = await harness().storedItems()
        const response = await api().request('GET', '/health')
        expect(response).toMatchObject({ status: 200, body: { status: 'ok' } })
        expect(await harness().storedItems()).toEqual(before)
      })
    })

    describeAuthorizationContract(harness)
  })
}
