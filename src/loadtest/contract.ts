/**
 * The A+ API requests the load tester knows how to generate: the name a scenario uses, and the
 * endpoint (method + route template) results are grouped by. This is the load tester's own copy
 * of the contract: it speaks HTTP to any base URL and imports nothing from the backend.
 */
export const REQUEST_KINDS = {
  createStudent: 'POST /students',
  getStudent: 'GET /students/{studentId}',
  createCourse: 'POST /courses',
  listCourses: 'GET /courses',
  getCourse: 'GET /courses/{courseId}',
  enroll: 'POST /courses/{courseId}/enrollments',
  listEnrollments: 'GET /courses/{courseId}/enrollments',
  putGrade: 'PUT /courses/{courseId}/grades/{studentId}',
  getStudentGrades: 'GET /students/{studentId}/grades',
  health: 'GET /health',
} as const

export type RequestKindName = keyof typeof REQUEST_KINDS
export type Endpoint = (typeof REQUEST_KINDS)[RequestKindName]

export const REQUEST_KIND_NAMES = Object.keys(REQUEST_KINDS) as [
  RequestKindName,
  ...RequestKindName[],
]

/** Letter grades the API accepts, best first. */
export const GRADES = [
  'A+',
  'A',
  'A-',
  'B+',
  'B',
  'B-',
  'C+',
  'C',
  'C-',
  'D+',
  'D',
  'D-',
  'F',
] as const

export type Grade = (typeof GRADES)[number]

/** The largest page the list endpoints accept (`limit=1..100`). */
export const MAX_PAGE_SIZE = 100
