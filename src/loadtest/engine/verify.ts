import { MAX_PAGE_SIZE } from '../contract.js'
import { forEachLimited, sendPatiently } from '../http/patient.js'
import type { AttemptOutcome, HttpTarget } from '../http/target.js'
import type { GradeHistory, WriteLedger } from '../workload/ledger.js'
import { gradeVerdict } from './grade-verdict.js'

/** A finding of the read-back, kept for the first few of each run. */
export interface VerifyFinding {
  problem: 'lost' | 'duplicated' | 'stale' | 'mismatched' | 'counter_mismatch' | 'unverifiable'
  entity: 'student' | 'course' | 'enrollment' | 'grade'
  id: string
  detail: string
}

/** The outcome of reading every acknowledged write back. All zeros but `checked` is healthy. */
export interface VerifyReport {
  /** Acknowledged writes read back (students, courses, enrollments, graded keys). */
  checked: number
  /** Acknowledged, but not there. */
  lost: number
  /** Listed more than once (an enrollment twice in a course, a course twice in a student's grades). */
  duplicated: number
  /** A grade holding an earlier acknowledged value although no writes to it overlapped: the last write was lost or an older one was applied again. */
  stale: number
  /** Stored value matches no value this run sent. */
  mismatched: number
  /** A course's `enrolled` count differs from the enrollments it lists. */
  counterMismatches: number
  /** Reads that failed even after retries, so those writes could not be judged. */
  unverifiable: number
  /** Writes whose outcome the client never learned (timeouts, resets, 5xx): not checked for loss. */
  ambiguousWrites: number
  findings: VerifyFinding[]
  durationMs: number
}

const MAX_FINDINGS = 100
const MAX_PAGES = 10_000

type Json = Record<string, unknown>

function parseJson(outcome: AttemptOutcome): Json | undefined {
  try {
    return JSON.parse(outcome.body ?? '') as Json
  } catch {
    return undefined
  }
}

export interface VerifyOptions {
  target: HttpTarget
  ledger: WriteLedger
  headers: Record<string, string>
  concurrency: number
  timeoutMs: number
}

/**
 * Reads back, through the API, every write the target acknowledged during set-up and load, and
 * counts what is missing, doubled or wrong. Writes still running inside the target after the
 * load ended (a request the client gave up on) can still land while this runs; their effects are
 * ambiguous by construction and only counted as such.
 */
export async function verifyWrites(options: VerifyOptions): Promise<VerifyReport> {
  const startedAt = performance.now()
  const { ledger, target, headers } = options
  const report: VerifyReport = {
    checked: 0,
    lost: 0,
    duplicated: 0,
    stale: 0,
    mismatched: 0,
    counterMismatches: 0,
    unverifiable: 0,
    ambiguousWrites: ledger.ambiguousWrites,
    findings: [],
    durationMs: 0,
  }
  const note = (finding: VerifyFinding, count = 1) => {
    const key = finding.problem === 'counter_mismatch' ? 'counterMismatches' : finding.problem
    report[key] += count
    if (report.findings.length < MAX_FINDINGS) report.findings.push(finding)
  }
  const patience = { attempts: 6, deadlineAt: startedAt + options.timeoutMs, maxDelayMs: 5_000 }
  const read = (path: string) =>
    sendPatiently(target, { method: 'GET', path, headers }, true, patience)

  await forEachLimited([...ledger.students], options.concurrency, async ([studentId, body]) => {
    report.checked += 1
    const outcome = await read(`/students/${encodeURIComponent(studentId)}`)
    const item = outcome.statusCode === 200 ? parseJson(outcome) : undefined
    if (outcome.statusCode === 404) {
      note({ problem: 'lost', entity: 'student', id: studentId, detail: 'GET answered 404' })
    } else if (!item) {
      note({ problem: 'unverifiable', entity: 'student', id: studentId, detail: describe(outcome) })
    } else if (item.name !== body.name || item.email !== body.email) {
      const detail = `stored ${JSON.stringify([item.name, item.email])}, sent ${JSON.stringify([body.name, body.email])}`
      note({ problem: 'mismatched', entity: 'student', id: studentId, detail })
    }
  })

  await forEachLimited([...ledger.courses], options.concurrency, async ([courseId, body]) => {
    report.checked += 1
    const outcome = await read(`/courses/${encodeURIComponent(courseId)}`)
    const item = outcome.statusCode === 200 ? parseJson(outcome) : undefined
    if (outcome.statusCode === 404) {
      note({ problem: 'lost', entity: 'course', id: courseId, detail: 'GET answered 404' })
      return
    }
    if (!item) {
      note({ problem: 'unverifiable', entity: 'course', id: courseId, detail: describe(outcome) })
      return
    }
    if (item.title !== body.title || item.capacity !== body.capacity) {
      const detail = `stored ${JSON.stringify([item.title, item.capacity])}, sent ${JSON.stringify([body.title, body.capacity])}`
      note({ problem: 'mismatched', entity: 'course', id: courseId, detail })
    }
    await checkEnrollments(courseId, item.enrolled, read, ledger, note, report)
  })

  const gradedStudents = new Map<string, [string, GradeHistory][]>()
  for (const [key, history] of ledger.grades) {
    if (!history.writes.some((write) => write.outcome === 'acknowledged')) continue
    const [courseId = '', studentId = ''] = key.split('|')
    const list = gradedStudents.get(studentId) ?? []
    list.push([courseId, history])
    gradedStudents.set(studentId, list)
  }
  await forEachLimited([...gradedStudents], options.concurrency, async ([studentId, keys]) => {
    report.checked += keys.length
    const outcome = await read(`/students/${encodeURIComponent(studentId)}/grades`)
    const grades = outcome.statusCode === 200 ? parseJson(outcome)?.grades : undefined
    if (!Array.isArray(grades)) {
      const detail = describe(outcome)
      for (const [courseId] of keys) {
        note({ problem: 'unverifiable', entity: 'grade', id: `${courseId}|${studentId}`, detail })
      }
      return
    }
    for (const [courseId, history] of keys) {
      const stored = grades.filter((entry: Json) => entry?.courseId === courseId)
      const verdict = gradeVerdict(
        history,
        stored.map((entry: Json) => entry.grade),
      )
      if (verdict) note({ ...verdict, entity: 'grade', id: `${courseId}|${studentId}` })
    }
  })

  report.durationMs = performance.now() - startedAt
  return report
}

type Note = (finding: VerifyFinding, count?: number) => void
type Read = (path: string) => Promise<AttemptOutcome>

/** Lists one course's enrollments to the end and compares them with the acknowledged ones. */
async function checkEnrollments(
  courseId: string,
  enrolledCount: unknown,
  read: Read,
  ledger: WriteLedger,
  note: Note,
  report: VerifyReport,
): Promise<void> {
  const acknowledged = ledger.enrollmentsByCourse.get(courseId) ?? new Set<string>()
  report.checked += acknowledged.size
  const listed = new Map<string, number>()
  let cursor: string | undefined
  const seenCursors = new Set<string>()
  for (let page = 0; page < MAX_PAGES; page += 1) {
    const query = `?limit=${MAX_PAGE_SIZE}${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`
    const outcome = await read(`/courses/${encodeURIComponent(courseId)}/enrollments${query}`)
    const body = outcome.statusCode === 200 ? parseJson(outcome) : undefined
    if (!body || !Array.isArray(body.items)) {
      const detail = `listing enrollments: ${describe(outcome)}`
      note(
        { problem: 'unverifiable', entity: 'enrollment', id: courseId, detail },
        acknowledged.size,
      )
      return
    }
    for (const item of body.items as Json[]) {
      const studentId = String(item?.studentId)
      listed.set(studentId, (listed.get(studentId) ?? 0) + 1)
    }
    cursor = typeof body.nextCursor === 'string' ? body.nextCursor : undefined
    if (!cursor) break
    if (seenCursors.has(cursor)) {
      note({
        problem: 'unverifiable',
        entity: 'enrollment',
        id: courseId,
        detail: `cursor ${cursor} repeated`,
      })
      return
    }
    seenCursors.add(cursor)
  }

  for (const studentId of acknowledged) {
    if (!listed.has(studentId)) {
      note({
        problem: 'lost',
        entity: 'enrollment',
        id: `${courseId}|${studentId}`,
        detail: 'acknowledged 201, not listed',
      })
    }
  }
  let listedTotal = 0
  for (const [studentId, count] of listed) {
    listedTotal += count
    if (count > 1) {
      const detail = `listed ${count} times`
      note(
        { problem: 'duplicated', entity: 'enrollment', id: `${courseId}|${studentId}`, detail },
        count - 1,
      )
    }
  }
  if (typeof enrolledCount === 'number' && enrolledCount !== listedTotal) {
    const detail = `course says enrolled=${enrolledCount}, lists ${listedTotal}`
    note({ problem: 'counter_mismatch', entity: 'course', id: courseId, detail })
  }
}

function describe(outcome: AttemptOutcome): string {
  if (outcome.failure) return `${outcome.failure}: ${outcome.error?.message ?? 'no response'}`
  return `status ${outcome.statusCode}`
}
