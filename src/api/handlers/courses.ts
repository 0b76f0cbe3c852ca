import { z } from 'zod'
import { NotFoundError } from '../errors.js'
import { created, idempotencyStamp, idFromKey } from '../idempotency.js'
import { courseId, createCourseBody, pageQuery } from '../schemas.js'
import type { Handler } from '../types.js'
import { parseInput, readJsonBody } from '../validation.js'

const coursePath = z.object({ courseId })

/** `POST /courses`: opens a course with a number of seats; idempotent with a key. */
export const createCourse: Handler = async (request, { store, now, newId }) => {
  const input = parseInput(createCourseBody, readJsonBody(request), 'body')
  const stamp = idempotencyStamp(request, 'createCourse', input)
  const courseId = stamp ? idFromKey('crs', 'createCourse', stamp) : newId('crs')
  const { item, replayed } = await store.courses.create(
    { courseId, ...input, createdAt: now().toISOString() },
    stamp,
  )
  return created(item, replayed, `/courses/${item.courseId}`)
}

/**
 * `GET /courses?limit=&cursor=`: the catalogue, oldest first. Items carry no seat count: the
 * catalogue index does not project it, so taking a seat never costs an index write.
 */
export const listCourses: Handler = async (request, { store }) => {
  const page = parseInput(pageQuery, request.query, 'query')
  return { statusCode: 200, body: await store.courses.list(page) }
}

/** `GET /courses/{courseId}`, with its seat count. */
export const getCourse: Handler = async (request, { store }) => {
  const { courseId } = parseInput(coursePath, request.pathParameters, 'path')
  const course = await store.courses.get(courseId)
  if (!course) throw new NotFoundError('course_not_found', `course ${courseId} does not exist`)
  return { statusCode: 200, body: course }
}
