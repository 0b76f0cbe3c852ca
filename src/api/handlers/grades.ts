import { z } from 'zod'
import { requireSelfOrInstructor } from '../authorization.js'
import { NotFoundError } from '../errors.js'
import { courseId, gradeBody, studentId } from '../schemas.js'
import type { Handler } from '../types.js'
import { parseInput, readJsonBody } from '../validation.js'

const gradePath = z.object({ courseId, studentId })
const studentPath = z.object({ studentId })

/** `PUT /courses/{courseId}/grades/{studentId}`: 201 for a first grade, 200 for a replacement. */
export const recordGrade: Handler = async (request, { store, now }) => {
  const { courseId, studentId } = parseInput(gradePath, request.pathParameters, 'path')
  const { grade } = parseInput(gradeBody, readJsonBody(request), 'body')
  const { replaced, ...recorded } = await store.grades.record({
    courseId,
    studentId,
    grade,
    gradedAt: now().toISOString(),
  })
  return { statusCode: replaced ? 200 : 201, body: recorded }
}

/**
 * `GET /students/{studentId}/grades`: the transcript, from the sparse grade index. A student
 * reads only their own; the refusal comes before any read, so it tells nothing about others.
 */
export const getTranscript: Handler = async (request, { store }) => {
  const { studentId } = parseInput(studentPath, request.pathParameters, 'path')
  requireSelfOrInstructor(request, studentId, 'a student may only read their own transcript')
  const [student, grades] = await Promise.all([
    store.students.get(studentId),
    store.grades.transcript(studentId),
  ])
  if (!student) throw new NotFoundError('student_not_found', `student ${studentId} does not exist`)
  return {
    statusCode: 200,
    body: {
      studentId,
      grades: grades.map(({ courseId, grade, gradedAt }) => ({ courseId, grade, gradedAt })),
    },
  }
}
