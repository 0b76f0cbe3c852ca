import { z } from 'zod'
import { requireSelfOrInstructor } from '../authorization.js'
import { NotFoundError } from '../errors.js'
import { created, idempotencyStamp, idFromKey } from '../idempotency.js'
import { createStudentBody, studentId } from '../schemas.js'
import type { Handler } from '../types.js'
import { parseInput, readJsonBody } from '../validation.js'

const studentPath = z.object({ studentId })

/**
 * `POST /students`: registers a student under a new id. With an Idempotency-Key the id comes
 * from the key, so a retried request finds its first result instead of creating a twin.
 */
export const createStudent: Handler = async (request, { store, now, newId }) => {
  const input = parseInput(createStudentBody, readJsonBody(request), 'body')
  const stamp = idempotencyStamp(request, 'createStudent', input)
  const studentId = stamp ? idFromKey('stu', 'createStudent', stamp) : newId('stu')
  const { item, replayed } = await store.students.create(
    { studentId, ...input, createdAt: now().toISOString() },
    stamp,
  )
  return created(item, replayed, `/students/${item.studentId}`)
}

/** `GET /students/{studentId}`: an instructor reads anyone, a student only themself. */
export const getStudent: Handler = async (request, { store }) => {
  const { studentId } = parseInput(studentPath, request.pathParameters, 'path')
  requireSelfOrInstructor(request, studentId, 'a student may only read their own profile')
  const student = await store.students.get(studentId)
  if (!student) throw new NotFoundError('student_not_found', `student ${studentId} does not exist`)
  return { statusCode: 200, body: student }
}
