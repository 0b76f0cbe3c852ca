import type { ClosedLoad } from '../scenario/schema.js'
import type { RequestMix } from '../workload/mix.js'
import type { SeededRandom } from '../workload/random.js'
import type { RequestIssuer } from './issuer.js'
import type { DriverOutcome } from './open-driver.js'

export interface ClosedDriverParts {
  load: ClosedLoad
  issuer: RequestIssuer
  mix: RequestMix
  kindRandom: SeededRandom
  thinkRandom: SeededRandom
  userHeaders: readonly Record<string, string>[]
  maxRequests: number
}

/**
 * Virtual users, each sending one request, waiting for its answer, thinking, and sending the
 * next (a closed model). The rate is whatever the target's latency allows, so a slow target is
 * offered less load: the coordinated omission that the open model exists to avoid. Latency is
 * measured from when the user decided to send, so time queued for a connection still counts.
 *
 * With stages, each stage's start sets how many users are active: new ones start at once, and
 * users beyond the count stop after the request they have in flight.
 */
export function driveClosed(parts: ClosedDriverParts, stop: AbortSignal) {
  const { load, issuer, mix, kindRandom, thinkRandom, userHeaders } = parts
  const { min: thinkMinMs, max: thinkMaxMs } = load.thinkTimeMs
  const running = new Set<number>()
  const stageTimers: NodeJS.Timeout[] = []
  let activeUsers = 0
  let issued = 0

  return new Promise<DriverOutcome>((resolve) => {
    const finish = () => {
      for (const timer of stageTimers) clearTimeout(timer)
      resolve({ issued, dropped: 0 })
    }
    if (stop.aborted) {
      finish()
      return
    }
    stop.addEventListener('abort', finish, { once: true })

    const userLoop = (userIndex: number) => {
      if (stop.aborted) return
      if (userIndex >= activeUsers || issued >= parts.maxRequests) {
        running.delete(userIndex)
        if (issued >= parts.maxRequests && running.size === 0) finish()
        return
      }
      issued += 1
      const headers = userHeaders[userIndex % userHeaders.length] as Record<string, string>
      issuer.issue(mix.pick(kindRandom), headers, performance.now(), () => {
        const thinkMs = thinkMinMs + thinkRandom.next() * (thinkMaxMs - thinkMinMs)
        if (thinkMs > 0) setTimeout(userLoop, thinkMs, userIndex)
        else userLoop(userIndex)
      })
    }

    const enterStage = (users: number) => {
      activeUsers = users
      for (let userIndex = 0; userIndex < activeUsers; userIndex += 1) {
        if (running.has(userIndex)) continue
        running.add(userIndex)
        userLoop(userIndex)
      }
    }

    let startsAtMs = 0
    for (const [index, stage] of load.stages.entries()) {
      if (index === 0) enterStage(stage.virtualUsers)
      else stageTimers.push(setTimeout(enterStage, startsAtMs, stage.virtualUsers))
      startsAtMs += stage.durationSeconds * 1000
    }
  })
}
