import { TABLE } from './table.js'

/** Key builders for every item type; the layout is described on TABLE. */

export type ItemKey = Record<typeof TABLE.partitionKey | typeof TABLE.sortKey, string>

export const COURSE_SORT_KEY = '#COURSE'
export const ENROLLMENT_PREFIX = 'ENROLLMENT#'
export const CATALOGUE_PARTITION = 'COURSES'
export const GRADE_PREFIX = 'GRADE#'

/** The characters and length of the ids the store puts into keys (the API's ids are a subset). */
export const KEY_ID_PATTERN = '[A-Za-z0-9_-]{1,64}'

export const studentKey = (studentId: string): ItemKey => ({
  pk: `STUDENT#${studentId}`,
  sk: 'PROFILE',
})

export const coursePartition = (courseId: string) => `COURSE#${courseId}`

export const courseKey = (courseId: string): ItemKey => ({
  pk: coursePartition(courseId),
  sk: COURSE_SORT_KEY,
})

export const enrollmentKey = (courseId: string, studentId: string): ItemKey => ({
  pk: coursePartition(courseId),
  sk: `${ENROLLMENT_PREFIX}${studentId}`,
})

export const transcriptPartition = (studentId: string) => `STUDENT#${studentId}`

export const gradeIndexKeys = (courseId: string, studentId: string) => ({
  [TABLE.index.partitionKey]: transcriptPartition(studentId),
  [TABLE.index.sortKey]: `${GRADE_PREFIX}${courseId}`,
})

export const catalogueIndexKeys = (courseId: string, createdAt: string) => ({
  [TABLE.index.partitionKey]: CATALOGUE_PARTITION,
  [TABLE.index.sortKey]: `${createdAt}#${courseId}`,
})
