import { ThresholdError } from './errors.js'
import type { LoadTestResult, ThresholdOutcome } from './result.js'

type MetricReader = (result: LoadTestResult) => number | undefined

/**
 * Metrics a threshold can name. Latency metrics are of successful requests, in ms, from the
 * intended send time (the headline figures); rates are fractions 0..1.
 */
const METRICS: Record<string, { read: MetricReader; needsVerify?: boolean }> = {
  failure_rate: { read: (result) => result.headline.failureRate },
  first_attempt_failure_rate: { read: (result) => result.overall.firstAttemptFailureRate },
  avg: { read: (result) => result.headline.averageSuccessLatencyMs },
  p50: { read: (result) => result.headline.p50Ms },
  p90: { read: (result) => result.headline.p90Ms },
  p95: { read: (result) => result.headline.p95Ms },
  p99: { read: (result) => result.headline.p99Ms },
  p99_9: { read: (result) => result.headline.p99_9Ms },
  max: { read: (result) => result.headline.maxMs },
  throughput: { read: (result) => result.headline.throughputPerSecond },
  achieved_rate: { read: (result) => result.load.achievedRatePerSecond },
  dropped: { read: (result) => result.load.dropped },
  lost_writes: { read: (result) => result.verify?.lost, needsVerify: true },
  duplicated_writes: { read: (result) => result.verify?.duplicated, needsVerify: true },
}

export const THRESHOLD_METRICS = Object.keys(METRICS)

const OPERATORS = {
  '<': (actual: number, limit: number) => actual < limit,
  '<=': (actual: number, limit: number) => actual <= limit,
  '>': (actual: number, limit: number) => actual > limit,
  '>=': (actual: number, limit: number) => actual >= limit,
  '==': (actual: number, limit: number) => actual === limit,
} as const

type Operator = keyof typeof OPERATORS

/** A parsed threshold, e.g. `p99<800`. */
export interface Threshold {
  expression: string
  metric: string
  operator: Operator
  limit: number
}

/** Parses `metric<op>number`; throws a ThresholdError naming what is wrong. */
export function parseThreshold(expression: string, verifying: boolean): Threshold {
  const match = /^\s*([a-z_0-9]+)\s*(<=|>=|==|<|>)\s*(-?[0-9.]+(?:e-?\d+)?)\s*$/i.exec(expression)
  if (!match) {
    throw new ThresholdError(
      `threshold '${expression}' must look like METRIC<VALUE (operators < <= > >= ==), e.g. p99<800`,
    )
  }
  const [, metric = '', operator = '<', limitText = ''] = match
  const known = METRICS[metric]
  if (!known) {
    throw new ThresholdError(
      `threshold '${expression}' names unknown metric '${metric}'; metrics are ${THRESHOLD_METRICS.join(', ')}`,
    )
  }
  const limit = Number(limitText)
  if (!Number.isFinite(limit)) {
    throw new ThresholdError(`threshold '${expression}' has a limit that is not a number`)
  }
  if (known.needsVerify && !verifying) {
    throw new ThresholdError(`threshold '${expression}' needs --verify to measure '${metric}'`)
  }
  return { expression: expression.trim(), metric, operator: operator as Operator, limit }
}

/** Checks thresholds against a finished result; a metric without a value fails its threshold. */
export function evaluateThresholds(
  result: LoadTestResult,
  thresholds: readonly Threshold[],
): ThresholdOutcome[] {
  return thresholds.map((threshold) => {
    const actual = METRICS[threshold.metric]?.read(result)
    const passed = actual !== undefined && OPERATORS[threshold.operator](actual, threshold.limit)
    return { ...threshold, actual, passed }
  })
}
