import type { LatencySetting } from './config.js'
import type { FaultRandom } from './random.js'

/** The exponential tail is cut here: a minute of added latency is a hang, not a delay. */
const MAX_LATENCY_MS = 60_000

/** Draws one added latency in ms from the setting; always consumes exactly one draw. */
export function sampleLatencyMs(setting: LatencySetting, random: FaultRandom): number {
  const draw = random.next()
  if (typeof setting === 'number') return setting
  switch (setting.distribution) {
    case 'fixed':
      return setting.ms
    case 'uniform':
      return setting.minMs + draw * (setting.maxMs - setting.minMs)
    case 'exponential':
      // Inverse transform; 1 - draw is in (0, 1], so the logarithm is finite.
      return Math.min(MAX_LATENCY_MS, -setting.meanMs * Math.log(1 - draw))
  }
}
