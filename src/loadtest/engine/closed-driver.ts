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
 * N virtual users, each sending one request, waiting for its answer, thinking, and sending the
 * next (a closed model). The rate is whatever the target's latency allows, so a slow target is
 * offered less load: the coordinated omission that the open model exists to avoid. Latency is
 * measured from when the user decided to send, so time queued for a connection still counts.
 */
export function driveClosed(parts: ClosedDriverParts, stop: AbortSignal) {
  const { load, issuer, mix, kindRandom, thinkRandom, userHeaders } = parts
  const { min: thinkMinMs, max: thinkMaxMs } = load.thinkTimeMs
  let issued = 0
  let usersRunning = load.virtualUsers

  return new Promise<DriverOutcome>((resolve) => {
    const finish = () => resolve({ issued, dropped: 0 })
    if (stop.aborted) {
      finish()
      return
    }
    stop.addEventListener('abort', finish, { once: true })

    const userLoop = (userIndex: number) => {
      if (stop.aborted) return
      if (issued >= parts.maxRequests) {
        usersRunning -= 1
        if (usersRunning === 0) finish()
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

    for (let userIndex = 0; userIndex < load.virtualUsers; userIndex += 1) userLoop(userIndex)
  })
}
