import { z } from 'zod'
import { courseId, enrollmentBody, pageQuery } from '../schemas.js'
import type { Handler } from '../types.js'
import { parseInput, readJsonBody } from '../validation.js'

const coursePath = z.object({ courseId })

/**
 * `POST /courses/{courseId}/enrollments`: takes a seat for a student. A second enrollment and a
 * full course are 409s, a missing course or student 404s; DynamoDB's conditions decide all four.
 */
export const enrollStudent: Handler = async (request, { store, now }) => {
  const { courseId } = parseInput(coursePath, request.pathParameters, 'path')
  const { studentId } = parseInput(enrollmentBody, readJsonBody(request), 'body')
  const enrollment = await store.enrollments.enroll(courseId, studentId, now().toISOString())
  return { statusCode: 201, body: enrollment }
}

/** `GET /courses/{courseId}/enrollments?limit=&cursor=`, in student-id order, with grades. */
export const listEnrollments: Handler = async (request, { store }) => {
  const { courseId } = parseInput(coursePath, request.pathParameters, 'path')
  const page = parseInput(pageQuery, request.query, 'query')
  return { statusCode: 200, body: await store.enrollments.list(courseId, page) }
}
