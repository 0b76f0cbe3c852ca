/** What the data layer stores and returns, free of DynamoDB's key attributes. */

export interface Student {
  studentId: string
  name: string
  email: string
  createdAt: string
}

export interface CourseSummary {
  courseId: string
  title: string
  capacity: number
  createdAt: string
}

export interface Course extends CourseSummary {
  /** Seats taken; kept by the same transaction that records each enrollment. */
  enrolled: number
}

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

export interface Enrollment {
  courseId: string
  studentId: string
  enrolledAt: string
  grade?: Grade
  gradedAt?: string
}

export interface GradeRecord {
  courseId: string
  studentId: string
  grade: Grade
  gradedAt: string
}

/** One page of a listing; `nextCursor` is absent on the last page. */
export interface Page<T> {
  items: T[]
  nextCursor?: string
}

export interface PageRequest {
  limit: number
  cursor?: string | undefined
}
