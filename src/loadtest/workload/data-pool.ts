import type { SeededRandom } from './random.js'

/** `courseId|studentId`: the key of an enrollment and of its grade. */
export function pairKey(courseId: string, studentId: string): string {
  return `${courseId}|${studentId}`
}

const CURSOR_MEMORY = 32

/**
 * The ids the load refers to: everything the target acknowledged creating, in arrays for O(1)
 * random picks. Writes in flight are remembered so the generator avoids racing itself (two
 * enrollments of one pair, two grades of one key at once) unless it has no other choice.
 */
export class DataPool {
  readonly studentIds: string[] = []
  readonly courseIds: string[] = []
  readonly enrollments: { courseId: string; studentId: string }[] = []
  readonly #enrolled = new Set<string>()
  readonly enrollmentsInFlight = new Set<string>()
  readonly gradesInFlight = new Set<string>()
  readonly #cursors: string[] = []

  addStudent(studentId: string): void {
    this.studentIds.push(studentId)
  }

  addCourse(courseId: string): void {
    this.courseIds.push(courseId)
  }

  addEnrollment(courseId: string, studentId: string): void {
    const key = pairKey(courseId, studentId)
    if (this.#enrolled.has(key)) return
    this.#enrolled.add(key)
    this.enrollments.push({ courseId, studentId })
  }

  isEnrolled(courseId: string, studentId: string): boolean {
    return this.#enrolled.has(pairKey(courseId, studentId))
  }

  rememberCursor(cursor: string, random: SeededRandom): void {
    if (this.#cursors.length < CURSOR_MEMORY) this.#cursors.push(cursor)
    else this.#cursors[random.integer(0, CURSOR_MEMORY - 1)] = cursor
  }

  /** A cursor seen in an earlier list response, or undefined for a first page. */
  someCursor(random: SeededRandom): string | undefined {
    return this.#cursors.length > 0 ? random.pick(this.#cursors) : undefined
  }
}
