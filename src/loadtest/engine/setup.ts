import { SetupError } from '../errors.js'
import { forEachLimited, sendPatiently } from '../http/patient.js'
import type { HttpTarget } from '../http/target.js'
import type { Scenario } from '../scenario/schema.js'
import { prepareRequest, type WorkloadContext } from '../workload/kinds.js'

/** What the set-up step created, for the result and the progress line. */
export interface SetupReport {
  students: { wanted: number; created: number }
  courses: { wanted: number; created: number }
  enrollments: { wanted: number; created: number }
  durationMs: number
}

export interface SetupOptions {
  target: HttpTarget
  context: WorkloadContext
  headers: Record<string, string>
  setup: Scenario['setup']
  concurrency: number
  timeoutMs: number
  onProgress?: (report: SetupReport) => void
}

const ATTEMPTS_PER_WRITE = 6
const MAX_RETRY_DELAY_MS = 5_000

/**
 * Creates the students, courses and enrollments the load reuses, through the API itself, with
 * patient retries (a throttled target still gets set up). None of it is measured. Writes made
 * here are in the ledger like any other, so `--verify` reads them back too.
 */
export async function runSetup(options: SetupOptions): Promise<SetupReport> {
  const { setup, context } = options
  const startedAt = performance.now()
  const deadlineAt = startedAt + options.timeoutMs
  const report: SetupReport = {
    students: { wanted: setup.students, created: 0 },
    courses: { wanted: setup.courses, created: 0 },
    enrollments: { wanted: setup.enrollments, created: 0 },
    durationMs: 0,
  }
  /** Refusals that more tries cannot fix, by status: they name the problem if nothing was made. */
  const refusedBy = new Map<number, number>()

  const create = async (kind: 'createStudent' | 'createCourse' | 'enroll', count: number) => {
    const slots = Array.from({ length: count }, (_, index) => index)
    await forEachLimited(slots, options.concurrency, async () => {
      if (performance.now() > deadlineAt) return
      const prepared = prepareRequest(kind, context, options.headers)
      const outcome = await sendPatiently(options.target, prepared.request, prepared.wantBody, {
        attempts: ATTEMPTS_PER_WRITE,
        deadlineAt,
        maxDelayMs: MAX_RETRY_DELAY_MS,
      })
      prepared.settle?.(outcome)
      if (outcome.statusCode === 401 || outcome.statusCode === 403) {
        refusedBy.set(outcome.statusCode, (refusedBy.get(outcome.statusCode) ?? 0) + 1)
      }
      if (outcome.statusCode === 201) {
        const counter =
          kind === 'createStudent'
            ? report.students
            : kind === 'createCourse'
              ? report.courses
              : report.enrollments
        counter.created += 1
        options.onProgress?.(report)
      }
    })
  }

  await create('createStudent', setup.students)
  await create('createCourse', setup.courses)
  // Enrolling needs somebody to enroll somewhere; without both, the load's fallbacks create them.
  if (context.pool.studentIds.length > 0 && context.pool.courseIds.length > 0) {
    await create('enroll', setup.enrollments)
  }
  report.durationMs = performance.now() - startedAt

  const missing = (['students', 'courses'] as const).filter(
    (name) => report[name].wanted > 0 && report[name].created === 0,
  )
  if (missing.length > 0) {
    const timedOut = performance.now() > deadlineAt ? ` within ${options.timeoutMs} ms` : ''
    throw new SetupError(
      `set-up created no ${missing.join(' and no ')}${timedOut}; ${whyRefused(refusedBy)}`,
    )
  }
  return report
}

function whyRefused(refusedBy: ReadonlyMap<number, number>): string {
  const [status] = [...refusedBy].sort((a, b) => b[1] - a[1])[0] ?? []
  if (status === 401) {
    return 'the target answered 401 Unauthorized: send a token allowed to create (an Authorization header)'
  }
  if (status === 403) {
    return "the target answered 403 Forbidden: the token's role may not create students and courses"
  }
  return 'the target refused every create (see its logs)'
}
