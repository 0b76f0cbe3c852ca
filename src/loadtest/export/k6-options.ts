import type { Scenario } from '../scenario/schema.js'
import { peakRateOf } from '../scenario/schema.js'
import { segmentsOf } from '../schedule/segments.js'
import type { Threshold } from '../thresholds.js'

const durationText = (ms: number) => `${Math.round(ms)}ms`

/** k6 wants whole-number rates: use per-second if they are, per-minute (rounded) otherwise. */
function rateUnit(rates: number[]): { timeUnit: string; scale: number; rounded: boolean } {
  if (rates.every(Number.isInteger)) return { timeUnit: '1s', scale: 1, rounded: false }
  const rounded = rates.some((rate) => !Number.isInteger(rate * 60))
  return { timeUnit: '1m', scale: 60, rounded }
}

/** The k6 scenario (executor) equivalent to the scenario's load model. */
export function k6Executor(scenario: Scenario): {
  executor: Record<string, unknown>
  notes: string[]
} {
  const load = scenario.load
  if (load.model === 'closed' && load.stages.length === 1) {
    return {
      executor: {
        executor: 'constant-vus',
        vus: load.virtualUsers,
        duration: durationText(load.durationSeconds * 1000),
        gracefulStop: durationText(scenario.limits.drainTimeoutMs),
      },
      notes: [],
    }
  }
  if (load.model === 'closed') {
    // k6 ramps users linearly within a stage; a zero-length stage first makes each a step.
    return {
      executor: {
        executor: 'ramping-vus',
        startVUs: 0,
        stages: load.stages.flatMap((stage) => [
          { target: stage.virtualUsers, duration: '0s' },
          { target: stage.virtualUsers, duration: durationText(stage.durationSeconds * 1000) },
        ]),
        gracefulRampDown: '0s',
        gracefulStop: durationText(scenario.limits.drainTimeoutMs),
      },
      notes: [],
    }
  }

  const segments = segmentsOf(load.phases)
  const rates = segments.flatMap((segment) => [segment.fromRatePerSecond, segment.toRatePerSecond])
  const unit = rateUnit(rates)
  const scaled = (rate: number) => Math.round(rate * unit.scale)
  const peak = Math.max(...load.phases.map(peakRateOf))
  // k6 drops an iteration when no VU is free: the same rule as maxInFlight here.
  const vus = {
    preAllocatedVUs: Math.min(load.maxInFlight, Math.max(10, Math.ceil(peak / 10))),
    maxVUs: load.maxInFlight,
  }
  const notes = unit.rounded ? ['rates were rounded to whole requests per minute for k6'] : []
  const first = segments[0]
  const only = load.phases[0]
  if (load.phases.length === 1 && only?.type === 'constant') {
    return {
      executor: {
        executor: 'constant-arrival-rate',
        rate: scaled(only.ratePerSecond),
        timeUnit: unit.timeUnit,
        duration: durationText(only.durationSeconds * 1000),
        ...vus,
        gracefulStop: durationText(scenario.limits.drainTimeoutMs),
      },
      notes,
    }
  }

  const stages: { target: number; duration: string }[] = []
  let currentRate = first?.fromRatePerSecond ?? 0
  for (const segment of segments) {
    // A jump in rate becomes a zero-length stage, which k6 treats as an instant change.
    if (segment.fromRatePerSecond !== currentRate) {
      stages.push({ target: scaled(segment.fromRatePerSecond), duration: '0s' })
    }
    stages.push({
      target: scaled(segment.toRatePerSecond),
      duration: durationText(segment.durationMs),
    })
    currentRate = segment.toRatePerSecond
  }
  return {
    executor: {
      executor: 'ramping-arrival-rate',
      startRate: scaled(first?.fromRatePerSecond ?? 0),
      timeUnit: unit.timeUnit,
      ...vus,
      stages,
      gracefulStop: durationText(scenario.limits.drainTimeoutMs),
    },
    notes,
  }
}

const LATENCY = 'http_req_duration{expected_response:true}'
const K6_PERCENTILES: Record<string, string> = {
  p50: 'p(50)',
  p90: 'p(90)',
  p95: 'p(95)',
  p99: 'p(99)',
  p99_9: 'p(99.9)',
  avg: 'avg',
  max: 'max',
}

/** Thresholds in k6's syntax, and notes for those k6 cannot express. */
export function k6Thresholds(thresholds: readonly Threshold[]) {
  const mapped: Record<string, string[]> = {}
  const notes: string[] = []
  const add = (metric: string, condition: string) => {
    mapped[metric] = [...(mapped[metric] ?? []), condition]
  }
  for (const { metric, operator, limit, expression } of thresholds) {
    const percentile = K6_PERCENTILES[metric]
    if (percentile) add(LATENCY, `${percentile}${operator}${limit}`)
    else if (metric === 'failure_rate' || metric === 'first_attempt_failure_rate') {
      add('http_req_failed', `rate${operator}${limit}`)
    } else if (metric === 'throughput') add('http_reqs', `rate${operator}${limit}`)
    else if (metric === 'dropped') add('dropped_iterations', `count${operator}${limit}`)
    else notes.push(`threshold '${expression}' has no k6 equivalent and was left out`)
  }
  return { mapped, notes }
}
