import type { Grade } from '../contract.js'
import type { CourseBody, StudentBody } from './bodies.js'
import { pairKey } from './data-pool.js'

/**
 * How a write ended, as far as the client can tell. `rejected` writes were refused before doing
 * anything (4xx, 429, 503 with Retry-After); `ambiguous` ones may or may not have been applied
 * (timeouts, dropped connections, other 5xx), so they make later value checks inconclusive.
 */
export type WriteOutcome = 'acknowledged' | 'rejected' | 'ambiguous'

export interface GradeWrite {
  grade: Grade
  outcome: WriteOutcome
}

/** Every grade write to one (course, student) key, in the order they were sent. */
export interface GradeHistory {
  writes: GradeWrite[]
  /** Two writes to this key were in flight at once, so their order at the server is unknown. */
  overlapped: boolean
  inFlight: number
}

/**
 * What the target acknowledged (2xx), so `--verify` can read it all back afterwards, plus enough
 * history of grade writes to judge which stored value is the right one.
 */
export class WriteLedger {
  readonly students = new Map<string, StudentBody>()
  readonly courses = new Map<string, CourseBody>()
  /** Acknowledged enrollments, by course. */
  readonly enrollmentsByCourse = new Map<string, Set<string>>()
  readonly grades = new Map<string, GradeHistory>()
  acknowledgedWrites = 0
  ambiguousWrites = 0

  student(studentId: string, body: StudentBody): void {
    this.students.set(studentId, body)
    this.acknowledgedWrites += 1
  }

  course(courseId: string, body: CourseBody): void {
    this.courses.set(courseId, body)
    this.acknowledgedWrites += 1
  }

  enrollment(courseId: string, studentId: string): void {
    let students = this.enrollmentsByCourse.get(courseId)
    if (!students) {
      students = new Set()
      this.enrollmentsByCourse.set(courseId, students)
    }
    students.add(studentId)
    this.acknowledgedWrites += 1
  }

  ambiguous(): void {
    this.ambiguousWrites += 1
  }

  /** Call as a grade write is sent; returns the write so its outcome can be filled in. */
  gradeSent(courseId: string, studentId: string, grade: Grade): GradeWrite {
    const key = pairKey(courseId, studentId)
    let history = this.grades.get(key)
    if (!history) {
      history = { writes: [], overlapped: false, inFlight: 0 }
      this.grades.set(key, history)
    }
    history.inFlight += 1
    if (history.inFlight > 1) history.overlapped = true
    const write: GradeWrite = { grade, outcome: 'ambiguous' }
    history.writes.push(write)
    return write
  }

  gradeSettled(courseId: string, studentId: string, write: GradeWrite, outcome: WriteOutcome) {
    const history = this.grades.get(pairKey(courseId, studentId))
    if (!history) return
    history.inFlight -= 1
    write.outcome = outcome
    if (outcome === 'acknowledged') this.acknowledgedWrites += 1
    if (outcome === 'ambiguous') this.ambiguousWrites += 1
  }
}
