import { describe, expect, it } from 'vitest'
import type { ApiClient, RequestOptions } from '../support/api-client.js'
import { withBearer } from '../support/api-client.js'
import type { TestTokens } from '../support/tokens.js'
import type { ContractHarness } from './harness.js'

type BadToken = (tokens: TestTokens) => Promise<string>

/** Authorization headers no authorizer may accept, each with what makes it bad. */
const BAD_CREDENTIALS: [string, BadToken][] = [
  ['a Basic credential instead of a bearer token', async () => 'Basic dXNlcjpwYXNzd29yZA=='],
  ['the word Bearer alone', async () => 'Bearer '],
  ['a token that is not a JWT', async () => 'Bearer not.a.jwt'],
  [
    'a token with a bad signature',
    async (tokens) => `Bearer ${await tokens.badSignature('instructor', 'mallory')}`,
  ],
  ['an expired token', async (tokens) => `Bearer ${await tokens.expired('instructor', 'late')}`],
  [
    'a token signed by another key',
    async (tokens) => `Bearer ${await tokens.forged('instructor', 'mallory')}`,
  ],
  [
    'a token for another audience',
    async (tokens) => `Bearer ${await tokens.otherAudience('instructor', 'elsewhere')}`,
  ],
]

/**
 * Who may do what, allowed and refused, through whatever serves the API. A refusal stores
 * nothing; one the gateway makes also runs no function.
 */
export function describeAuthorizationContract(harness: () => ContractHarness): void {
  const instructor = () => withBearer(harness().client, harness().tokens.instructor)
  const anonymous = () => harness().client

  async function student(): Promise<{ studentId: string; client: ApiClient }> {
    const created = await instructor().request('POST', '/students', {
      body: { name: 'Student', email: 'student@example.com' },
    })
    expect(created.status).toBe(201)
    const { studentId } = created.body as { studentId: string }
    const token = await harness().tokens.mint('student', studentId)
    return { studentId, client: withBearer(harness().client, token) }
  }

  async function course(): Promise<string> {
    const created = await instructor().request('POST', '/courses', {
      body: { title: 'Rhetoric', capacity: 10 },
    })
    expect(created.status).toBe(201)
    return (created.body as { courseId: string }).courseId
  }

  /** A refusal by the authorizer: the gateway's bare answer, or the function's API error. */
  async function expectDenied(
    client: ApiClient,
    method: string,
    path: string,
    options: RequestOptions,
    status: 401 | 403,
  ) {
    const before = await harness().storedItems()
    const invocationsBefore = harness().invocations()
    const response = await client.request(method, path, options)
    expect(response.status).toBe(status)
    if (harness().refusedBy === 'gateway') {
      expect(response.body).toEqual({ message: status === 401 ? 'Unauthorized' : 'Forbidden' })
      const error = status === 401 ? 'invalid_token' : 'insufficient_scope'
      expect(response.headers['www-authenticate']).toContain(`error="${error}"`)
      expect(harness().invocations()).toBe(invocationsBefore)
    } else {
      expect(response.body.error.code).toBe(status === 401 ? 'unauthenticated' : 'forbidden')
    }
    expect(await harness().storedItems()).toEqual(before)
  }

  /** A refusal by a handler's own rule (a student acting for another): always the function. */
  async function expectForbiddenByRule(
    client: ApiClient,
    method: string,
    path: string,
    options: RequestOptions,
    message: string,
  ) {
    const before = await harness().storedItems()
    const response = await client.request(method, path, options)
    expect(response.status).toBe(403)
    expect(response.body).toEqual({ error: { code: 'forbidden', message } })
    expect(await harness().storedItems()).toEqual(before)
  }

  describe('authorization', () => {
    it('serves the catalogue, a course, the health check and the 404/405 answers without a token', async () => {
      const courseId = await course()
      for (const path of ['/courses', `/courses/${courseId}`, '/health']) {
        expect((await anonymous().request('GET', path)).status).toBe(200)
      }
      const unknown = await anonymous().request('GET', '/teachers')
      expect(unknown).toMatchObject({ status: 404, body: { error: { code: 'route_not_found' } } })
      const wrongMethod = await anonymous().request('DELETE', `/courses/${courseId}`)
      expect(wrongMethod).toMatchObject({
        status: 405,
        body: { error: { code: 'method_not_allowed' } },
      })
    })

    it('answers 401 to a write without a token, storing nothing', async () => {
      await expectDenied(
        anonymous(),
        'POST',
        '/courses',
        { body: { title: 'Logic', capacity: 5 } },
        401,
      )
    })

    it('answers 401 to a read of a protected route without a token', async () => {
      const { studentId } = await student()
      await expectDenied(anonymous(), 'GET', `/students/${studentId}/grades`, {}, 401)
    })

    it.each(BAD_CREDENTIALS)('answers 401 to %s, storing nothing', async (_, credential) => {
      const authorization = await credential(harness().tokens)
      await expectDenied(
        anonymous(),
        'POST',
        '/students',
        { body: { name: 'Eve', email: 'eve@example.com' }, headers: { authorization } },
        401,
      )
    })

    it('lets a student enroll themself (201) and an instructor enroll anyone', async () => {
      const courseId = await course()
      const self = await student()
      const other = await student()
      const enrolled = await self.client.request('POST', `/courses/${courseId}/enrollments`, {
        body: { studentId: self.studentId },
      })
      expect(enrolled.status).toBe(201)
      expect(enrolled.body).toMatchObject({ courseId, studentId: self.studentId })
      const byInstructor = await instructor().request('POST', `/courses/${courseId}/enrollments`, {
        body: { studentId: other.studentId },
      })
      expect(byInstructor.status).toBe(201)
    })

    it('answers 403 to a student enrolling another student, taking no seat', async () => {
      const courseId = await course()
      const self = await student()
      const other = await student()
      await expectForbiddenByRule(
        self.client,
        'POST',
        `/courses/${courseId}/enrollments`,
        { body: { studentId: other.studentId } },
        'a student may only enroll themself',
      )
      const read = await anonymous().request('GET', `/courses/${courseId}`)
      expect(read.body.enrolled).toBe(0)
    })

    it("lets a student read their own profile and transcript (200), not another's (403)", async () => {
      const self = await student()
      const other = await student()
      const profile = await self.client.request('GET', `/students/${self.studentId}`)
      expect(profile).toMatchObject({ status: 200, body: { studentId: self.studentId } })
      const transcript = await self.client.request('GET', `/students/${self.studentId}/grades`)
      expect(transcript).toMatchObject({
        status: 200,
        body: { studentId: self.studentId, grades: [] },
      })
      await expectForbiddenByRule(
        self.client,
        'GET',
        `/students/${other.studentId}`,
        {},
        'a student may only read their own profile',
      )
      await expectForbiddenByRule(
        self.client,
        'GET',
        `/students/${other.studentId}/grades`,
        {},
        'a student may only read their own transcript',
      )
    })

    it('answers 403 to a student creating a student or a course, storing nothing', async () => {
      const { client } = await student()
      await expectDenied(
        client,
        'POST',
        '/courses',
        { body: { title: 'Forgery', capacity: 5 } },
        403,
      )
      await expectDenied(
        client,
        'POST',
        '/students',
        { body: { name: 'Twin', email: 'twin@example.com' } },
        403,
      )
    })

    it('answers 403 to a student recording a grade or reading a roster', async () => {
      const courseId = await course()
      const self = await student()
      const enrolled = await self.client.request('POST', `/courses/${courseId}/enrollments`, {
        body: { studentId: self.studentId },
      })
      expect(enrolled.status).toBe(201)
      await expectDenied(
        self.client,
        'PUT',
        `/courses/${courseId}/grades/${self.studentId}`,
        { body: { grade: 'A+' } },
        403,
      )
      await expectDenied(self.client, 'GET', `/courses/${courseId}/enrollments`, {}, 403)
    })

    it('answers 403 to a student reading a transcript of an unknown student, not 404', async () => {
      const { client } = await student()
      await expectForbiddenByRule(
        client,
        'GET',
        '/students/stu_aaaaaaaaaaaaaaaa/grades',
        {},
        'a student may only read their own transcript',
      )
    })
  })
}
