import { z } from 'zod'
import { NotFoundError } from '../errors.js'
import { createStudentBody, studentId } from '../schemas.js'
import type { Handler } from '../types.js'
import { parseInput, readJsonBody } from '../validation.js'

const studentPath = z.object({ studentId })

/** `POST /students`: registers a student under a new id. */
export const createStudent: Handler = async (request, { store, now, newId }) => {
  const input = parseInput(createStudentBody, readJsonBody(request), 'body')
  const student = await store.students.create({
    studentId: newId('stu'),
    ...input,
    createdAt: now().toISOString(),
  })
  return { statusCode: 201, headers: { location: `/students/${student.studentId}` }, body: student }
}

/** `GET /students/{studentId}` */
export const getStudent: Handler = async (request, { store }) => {
  const { studentId } = parseInput(studentPath, request.pathParameters, 'path')
  const student = await store.students.get(studentId)
  if (!student) throw new NotFoundError('student_not_found', `student ${studentId} does not exist`)
  return { statusCode: 200, body: student }
}
