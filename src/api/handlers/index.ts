import type { HandlerId } from '../routes.js'
import type { Handler } from '../types.js'
import { createCourse, getCourse, listCourses } from './courses.js'
import { enrollStudent, listEnrollments } from './enrollments.js'
import { methodNotAllowed, notFound } from './fallback.js'
import { getTranscript, recordGrade } from './grades.js'
import { health } from './health.js'
import { createStudent, getStudent } from './students.js'

/**
 * Every handler by id, for code that serves the whole API in one place. Function bundles do not
 * import this: they import only their own handlers (src/topology).
 */
export const HANDLERS = {
  createStudent,
  getStudent,
  createCourse,
  listCourses,
  getCourse,
  enrollStudent,
  listEnrollments,
  recordGrade,
  getTranscript,
  health,
  methodNotAllowed,
  notFound,
} as const satisfies Record<HandlerId, Handler>
