import type { SetupReport } from './engine/setup.js'
import type { VerifyReport } from './engine/verify.js'
import type { StatsSnapshot } from './metrics/endpoint-stats.js'
import type { LatencySummary } from './metrics/latency-histogram.js'
import type { TimelineSecond } from './metrics/timeline.js'

/** Bumped when a field of the result changes meaning or is removed (additions keep it). */
export const RESULT_SCHEMA_VERSION = 1

/** The figures the seed report compares, plus what an average hides. */
export interface Headline {
  /** Failed requests / all requests that ended (final outcome, after retries if any). */
  failureRate: number
  /** Mean latency of successful requests, measured from the intended send time. */
  averageSuccessLatencyMs: number
  /** The same mean measured from when the request actually left: what a naive client reports. */
  averageSuccessLatencyUncorrectedMs: number
  /** Percentiles of successful requests' latency (from the intended send time). */
  p50Ms: number
  p90Ms: number
  p95Ms: number
  p99Ms: number
  p99_9Ms: number
  maxMs: number
  /** Requests that ended per second of load. */
  throughputPerSecond: number
}

export interface ThresholdOutcome {
  expression: string
  metric: string
  operator: string
  limit: number
  /** Undefined when the metric had no value (e.g. lost writes without --verify). */
  actual: number | undefined
  passed: boolean
}

/** The versioned result document (`--json`, `--out`), also what `LoadTest.run()` resolves to. */
export interface LoadTestResult {
  schemaVersion: typeof RESULT_SCHEMA_VERSION
  tool: { name: 'aplus-loadtest'; version: string }
  target: { baseUrl: string }
  scenario: {
    name: string
    seed: number
    model: 'open' | 'closed'
    /** Planned length of the load (phases or closed-model duration), without set-up or drain. */
    plannedDurationMs: number
    /** Open model: requests the phases schedule (before any maxRequests bound). */
    scheduledRequests: number | undefined
    mix: Record<string, number>
  }
  startedAt: string
  endedAt: string
  /** True when the run was stopped early (Ctrl-C, `stop()`). */
  stopped: boolean
  headline: Headline
  load: {
    /** From the first send to the end of sending (the bound reached or the phases over). */
    sendWindowMs: number
    /** From the end of sending until the last response, or the drain limit. */
    drainMs: number
    /** Mean rate the schedule asked for over the send window (open model). */
    targetRatePerSecond: number | undefined
    /** Requests actually sent per second of the send window. */
    achievedRatePerSecond: number
    sent: number
    /** Scheduled requests not sent because `maxInFlight` requests were outstanding. */
    dropped: number
    /** Requests still unanswered when the drain time ran out, counted as timeouts. */
    outstandingAtEnd: number
    /** How late the generator sent requests compared with the schedule (open model). */
    sendLagMs: LatencySummary
  }
  /** Every request of the load phase. */
  overall: StatsSnapshot
  /** The same, per endpoint (method + route template). */
  endpoints: Record<string, StatsSnapshot>
  timeline: TimelineSecond[]
  setup: SetupReport
  verify: VerifyReport | undefined
  thresholds: ThresholdOutcome[]
  /** Things the reader must know before trusting the numbers (dropped requests, generator lag). */
  warnings: string[]
}
