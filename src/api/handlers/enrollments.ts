import { z } from 'zod'
import { requireSelfOrInstructor } from '../authorization.js'
import { created, idempotencyStamp } from '../idempotency.js'
import { courseId, enrollmentBody, pageQuery } from '../schemas.js'
import type { Handler } from '../types.js'
import { parseInput, readJsonBody } from '../validation.js'

const coursePath = z.object({ courseId })

/**
 * `POST /courses/{courseId}/enrollments`: takes a seat for a student. A second enrollment and a
 * full course are 409s, a missing course or student 404s; DynamoDB's conditions decide all four.
 * With an Idempotency-Key, the same request repeated gets its first 201 back. Instructors enroll
 * anyone; a student only themself.
 */
export const enrollStudent: Handler = async (request, { store, now }) => {
  const { courseId } = parseInput(coursePath, request.pathParameters, 'path')
  const input = parseInput(enrollmentBody, readJsonBody(request), 'body')
  requireSelfOrInstructor(request, input.studentId, 'a student may only enroll themself')
  const stamp = idempotencyStamp(request, 'enrollStudent', input)
  const { item, replayed } = await store.enrollments.enroll(
    courseId,
    input.studentId,
    now().toISOString(),
    stamp,
  )
  return created(item, replayed)
}

/** `GET /courses/{courseId}/enrollments?limit=&cursor=`, in student-id order, with grades. */
export const listEnrollments: Handler = async (request, { store }) => {
  const { courseId } = parseInput(coursePath, request.pathParameters, 'path')
  const page = parseInput(pageQuery, request.query, 'query')
  return { statusCode: 200, body: await store.enrollments.list(courseId, page) }
}
