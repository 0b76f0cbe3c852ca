import type { HttpTarget } from '../http/target.js'
import type { EndpointStats } from '../metrics/endpoint-stats.js'
import { LatencyHistogram } from '../metrics/latency-histogram.js'
import type { Timeline, TimelineSecond } from '../metrics/timeline.js'
import type { Scenario } from '../scenario/schema.js'
import { ArrivalSchedule } from '../schedule/arrivals.js'
import { rateAt, segmentsOf } from '../schedule/segments.js'
import type { RequestMix } from '../workload/mix.js'
import type { SeededRandom } from '../workload/random.js'
import { driveClosed } from './closed-driver.js'
import type { RequestIssuer } from './issuer.js'
import { type DriverOutcome, driveOpen } from './open-driver.js'

/** What the runner's `tick` event carries, once per second of load and drain. */
export interface TickEvent {
  /** The second that just closed. */
  second: TimelineSecond
  /** The rate the schedule asked for during that second (open model), else undefined. */
  targetRatePerSecond: number | undefined
  elapsedMs: number
  plannedDurationMs: number
  totals: { sent: number; completed: number; failed: number; dropped: number; inFlight: number }
  /** True once sending has ended and outstanding requests are being waited for. */
  draining: boolean
}

export interface LoadPhaseParts {
  scenario: Scenario
  target: HttpTarget
  issuer: RequestIssuer
  overall: EndpointStats
  timeline: Timeline
  mix: RequestMix
  kindRandom: SeededRandom
  thinkRandom: SeededRandom
  userHeaders: readonly Record<string, string>[]
  startAt: number
  stop: AbortSignal
  onTick: (tick: TickEvent) => void
}

export interface LoadPhaseOutcome extends DriverOutcome {
  sendWindowMs: number
  drainMs: number
  outstandingAtEnd: number
  sendLag: LatencyHistogram
  plannedDurationMs: number
  scheduledRequests: number | undefined
}

const TICK_LATE_MS = 5
const DRAIN_POLL_MS = 10

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms))

/**
 * Runs the measured part: sends on the open schedule or with closed-model users until the
 * phases end, the request bound is reached or `stop` fires; then waits at most the drain time
 * for answers and ends whatever is left as timeouts. Ticks every second throughout.
 */
export async function runLoadPhase(parts: LoadPhaseParts): Promise<LoadPhaseOutcome> {
  const { scenario, issuer, startAt } = parts
  const load = scenario.load
  const maxRequests = scenario.limits.maxRequests ?? Number.POSITIVE_INFINITY
  const segments = load.model === 'open' ? segmentsOf(load.phases) : []
  const schedule = load.model === 'open' ? new ArrivalSchedule(segments) : undefined
  const plannedDurationMs =
    load.model === 'closed' ? load.durationSeconds * 1000 : (schedule?.durationMs ?? 0)
  const sendLag = new LatencyHistogram()
  let draining = false
  let dropped = 0
  let flushDriver = () => {}

  const ticker = startTicker(
    parts,
    plannedDurationMs,
    () => flushDriver(),
    () => ({
      draining,
      dropped,
      targetAt: (offsetMs: number) => (schedule ? rateAt(segments, offsetMs) : undefined),
    }),
  )

  const sending = new AbortController()
  const endOfPlan = setTimeout(() => sending.abort(), plannedDurationMs)
  const onStop = () => sending.abort()
  parts.stop.addEventListener('abort', onStop, { once: true })
  if (parts.stop.aborted) sending.abort()

  const outcome =
    load.model === 'open' && schedule
      ? await driveOpen(
          {
            ...parts,
            schedule,
            maxInFlight: load.maxInFlight,
            maxRequests,
            sendLag,
            onFlushReady: (flush) => {
              flushDriver = flush
            },
          },
          startAt,
          sending.signal,
        )
      : load.model === 'closed'
        ? await driveClosed({ ...parts, load, maxRequests }, sending.signal)
        : { issued: 0, dropped: 0 }
  dropped = outcome.dropped
  // The open schedule's last arrival comes before the plan's end: keep the window honest.
  const boundReached = outcome.issued + outcome.dropped >= maxRequests
  if (!boundReached && !parts.stop.aborted) await waitForAbort(sending.signal)
  clearTimeout(endOfPlan)
  parts.stop.removeEventListener('abort', onStop)
  const sendWindowMs = performance.now() - startAt

  draining = true
  const drainStartedAt = performance.now()
  const drainEndsAt = drainStartedAt + scenario.limits.drainTimeoutMs
  issuer.retryCutoffAt = drainEndsAt
  while (issuer.outstanding > 0 && performance.now() < drainEndsAt) await sleep(DRAIN_POLL_MS)
  issuer.retryCutoffAt = Number.NEGATIVE_INFINITY
  const outstandingAtEnd = issuer.outstanding
  issuer.abandonRetries()
  parts.target.expireAll('still outstanding when the drain time ran out')
  const drainMs = performance.now() - drainStartedAt

  ticker.finish()
  return {
    ...outcome,
    sendWindowMs,
    drainMs,
    outstandingAtEnd,
    sendLag,
    plannedDurationMs,
    scheduledRequests: schedule?.expectedCount,
  }
}

function waitForAbort(signal: AbortSignal): Promise<void> {
  if (signal.aborted) return Promise.resolve()
  return new Promise((resolve) => signal.addEventListener('abort', () => resolve(), { once: true }))
}

type TickState = () => {
  draining: boolean
  dropped: number
  targetAt: (offsetMs: number) => number | undefined
}

/** A timer aligned to whole seconds from the start, emitting one tick per closed second. */
function startTicker(
  parts: LoadPhaseParts,
  plannedDurationMs: number,
  flushDriver: () => void,
  state: TickState,
) {
  const { timeline, overall, startAt, issuer } = parts
  let timer: NodeJS.Timeout | undefined
  let nextTick = 1

  const emit = (seconds: TimelineSecond[]) => {
    const current = state()
    for (const second of seconds) {
      parts.onTick({
        second,
        targetRatePerSecond: current.targetAt(second.second * 1000 + 500),
        elapsedMs: performance.now() - startAt,
        plannedDurationMs,
        totals: {
          sent: overall.requests + issuer.outstanding,
          completed: overall.requests,
          failed: overall.requests - overall.succeeded,
          dropped: timeline.seconds.reduce((sum, entry) => sum + entry.dropped, 0),
          inFlight: issuer.outstanding,
        },
        draining: current.draining,
      })
    }
  }
  const tick = () => {
    flushDriver()
    emit(timeline.closeUntil(performance.now(), issuer.outstanding))
    nextTick += 1
    timer = setTimeout(
      tick,
      Math.max(0, startAt + nextTick * 1000 + TICK_LATE_MS - performance.now()),
    )
  }
  timer = setTimeout(tick, Math.max(0, startAt + 1000 + TICK_LATE_MS - performance.now()))

  return {
    finish() {
      clearTimeout(timer)
      emit(timeline.closeAll(issuer.outstanding))
    },
  }
}
