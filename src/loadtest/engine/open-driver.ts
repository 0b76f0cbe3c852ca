import type { LatencyHistogram } from '../metrics/latency-histogram.js'
import type { Timeline } from '../metrics/timeline.js'
import type { ArrivalSchedule } from '../schedule/arrivals.js'
import type { RequestMix } from '../workload/mix.js'
import type { SeededRandom } from '../workload/random.js'
import type { RequestIssuer } from './issuer.js'

export interface OpenDriverParts {
  schedule: ArrivalSchedule
  issuer: RequestIssuer
  mix: RequestMix
  kindRandom: SeededRandom
  userHeaders: readonly Record<string, string>[]
  maxInFlight: number
  maxRequests: number
  timeline: Timeline
  /** How late each request left compared with its intended time: the generator's own lag. */
  sendLag: LatencyHistogram
  /**
   * Receives a function that sends everything due right now. The ticker calls it before it
   * closes a second, so a second is never closed while its requests wait behind a late timer.
   */
  onFlushReady?: (flush: () => void) => void
}

export interface DriverOutcome {
  issued: number
  dropped: number
}

/**
 * Sends requests at their scheduled times whether or not earlier ones were answered (an open
 * model). It wakes with a timer for the next intended time and sends everything that is due, so
 * a late wake-up sends the overdue requests at once, stamped with their intended times: their
 * latency includes the delay, as wrk2 does. When `maxInFlight` requests are outstanding a due
 * request is dropped and counted, never silently skipped.
 */
export function driveOpen(parts: OpenDriverParts, startAt: number, stop: AbortSignal) {
  const { schedule, issuer, mix, kindRandom, userHeaders, timeline } = parts
  let issued = 0
  let dropped = 0
  let nextOffsetMs = schedule.next()
  let timer: NodeJS.Timeout | undefined

  let finished = false

  return new Promise<DriverOutcome>((resolve) => {
    const finish = () => {
      finished = true
      clearTimeout(timer)
      resolve({ issued, dropped })
    }
    if (stop.aborted) {
      finish()
      return
    }
    stop.addEventListener('abort', finish, { once: true })

    const pump = () => {
      if (stop.aborted) return
      const now = performance.now()
      while (nextOffsetMs !== undefined && startAt + nextOffsetMs <= now) {
        const intendedAt = startAt + nextOffsetMs
        timeline.scheduled(intendedAt)
        const kind = mix.pick(kindRandom)
        if (issuer.outstanding >= parts.maxInFlight) {
          dropped += 1
          timeline.dropped(now)
        } else {
          parts.sendLag.recordMs(now - intendedAt)
          const headers = userHeaders[issued % userHeaders.length] as Record<string, string>
          issuer.issue(kind, headers, intendedAt)
          issued += 1
        }
        nextOffsetMs = issued + dropped >= parts.maxRequests ? undefined : schedule.next()
      }
      if (nextOffsetMs === undefined) {
        finish()
        return
      }
      timer = setTimeout(pump, Math.max(0, startAt + nextOffsetMs - performance.now()))
    }
    parts.onFlushReady?.(() => {
      if (finished || stop.aborted) return
      clearTimeout(timer)
      pump()
    })
    pump()
  })
}
