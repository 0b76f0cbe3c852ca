import { readFileSync } from 'node:fs'
import type { EndpointStats } from '../metrics/endpoint-stats.js'
import { roundMs } from '../metrics/latency-histogram.js'
import type { Timeline } from '../metrics/timeline.js'
import { type LoadTestResult, RESULT_SCHEMA_VERSION } from '../result.js'
import type { Scenario } from '../scenario/schema.js'
import type { LoadPhaseOutcome } from './load-phase.js'
import type { PreflightReport } from './preflight.js'
import type { SetupReport } from './setup.js'
import type { VerifyReport } from './verify.js'

export interface ResultParts {
  baseUrl: string
  scenario: Scenario
  startedAt: Date
  endedAt: Date
  stopped: boolean
  phase: LoadPhaseOutcome
  overall: EndpointStats
  endpoints: Map<string, EndpointStats>
  timeline: Timeline
  setup: SetupReport
  verify: VerifyReport | undefined
  preflight: PreflightReport
  mixShares: Record<string, number>
}

// The generator is late when p99 of its send lag passes this: timer wake-ups are ~1 ms normally.
const LAG_WARNING_P99_MS = 10

function toolVersion(): string {
  try {
    const manifest = new URL('../../../package.json', import.meta.url)
    return (JSON.parse(readFileSync(manifest, 'utf8')) as { version?: string }).version ?? 'unknown'
  } catch {
    return 'unknown'
  }
}

const percent = (fraction: number) => `${(fraction * 100).toFixed(1)}%`

function warningsOf(parts: ResultParts, result: LoadTestResult): string[] {
  const warnings: string[] = []
  const { load } = result
  if (load.dropped > 0) {
    const scheduled = load.sent + load.dropped
    warnings.push(
      `DROPPED ${load.dropped} of ${scheduled} scheduled requests (${percent(load.dropped / scheduled)}): ` +
        `maxInFlight requests were already outstanding, so the offered load was lower than planned`,
    )
  }
  if (load.sendLagMs.count > 0 && load.sendLagMs.p99 > LAG_WARNING_P99_MS) {
    warnings.push(
      `the generator sent late (p99 ${load.sendLagMs.p99} ms, max ${load.sendLagMs.max} ms after the intended time): ` +
        `this machine was too busy; corrected latencies include the delay`,
    )
  }
  if (load.outstandingAtEnd > 0) {
    warnings.push(
      `${load.outstandingAtEnd} requests were unanswered when the drain time ran out and count as timeouts`,
    )
  }
  if (parts.preflight.statusCode < 200 || parts.preflight.statusCode >= 300) {
    warnings.push(`the health check answered ${parts.preflight.statusCode} before the load started`)
  }
  const setup = parts.setup
  for (const name of ['students', 'courses', 'enrollments'] as const) {
    if (setup[name].created < setup[name].wanted) {
      warnings.push(`set-up created ${setup[name].created} of ${setup[name].wanted} ${name}`)
    }
  }
  if (parts.scenario.load.model === 'closed') {
    warnings.push(
      'closed model: each user waits for its answer, so a slow target is offered less load (coordinated omission is not corrected)',
    )
  }
  if (parts.verify && parts.verify.unverifiable > 0) {
    warnings.push(`${parts.verify.unverifiable} writes could not be read back to verify`)
  }
  return warnings
}

/** Assembles the versioned result document from the run's pieces. */
export function buildResult(parts: ResultParts): LoadTestResult {
  const { scenario, phase } = parts
  const overall = parts.overall.snapshot()
  const sendWindowSeconds = phase.sendWindowMs / 1000
  const loadSeconds = (phase.sendWindowMs + phase.drainMs) / 1000
  const success = overall.latencyMs.success
  const result: LoadTestResult = {
    schemaVersion: RESULT_SCHEMA_VERSION,
    tool: { name: 'aplus-loadtest', version: toolVersion() },
    target: { baseUrl: parts.baseUrl },
    scenario: {
      name: scenario.name,
      seed: scenario.seed,
      model: scenario.load.model,
      plannedDurationMs: phase.plannedDurationMs,
      scheduledRequests: phase.scheduledRequests,
      mix: parts.mixShares,
    },
    startedAt: parts.startedAt.toISOString(),
    endedAt: parts.endedAt.toISOString(),
    stopped: parts.stopped,
    headline: {
      failureRate: overall.failureRate,
      averageSuccessLatencyMs: success.mean,
      averageSuccessLatencyUncorrectedMs: overall.latencyMs.successUncorrected.mean,
      p50Ms: success.p50,
      p90Ms: success.p90,
      p95Ms: success.p95,
      p99Ms: success.p99,
      p99_9Ms: success.p99_9,
      maxMs: success.max,
      throughputPerSecond: loadSeconds > 0 ? round2(overall.requests / loadSeconds) : 0,
    },
    load: {
      sendWindowMs: roundMs(phase.sendWindowMs),
      drainMs: roundMs(phase.drainMs),
      targetRatePerSecond: targetRate(parts),
      achievedRatePerSecond: sendWindowSeconds > 0 ? round2(phase.issued / sendWindowSeconds) : 0,
      sent: phase.issued,
      dropped: phase.dropped,
      outstandingAtEnd: phase.outstandingAtEnd,
      sendLagMs: phase.sendLag.summary(),
    },
    overall,
    endpoints: Object.fromEntries(
      [...parts.endpoints]
        .sort(([a], [b]) => a.localeCompare(b))
        .map(([name, stats]) => [name, stats.snapshot()]),
    ),
    timeline: [...parts.timeline.seconds],
    setup: parts.setup,
    verify: parts.verify,
    thresholds: [],
    warnings: [],
  }
  result.warnings = warningsOf(parts, result)
  return result
}

/** The mean rate the schedule asked for over the part of it that was actually run. */
function targetRate(parts: ResultParts): number | undefined {
  const { phase } = parts
  if (parts.scenario.load.model !== 'open' || phase.scheduledRequests === undefined)
    return undefined
  const seconds = phase.plannedDurationMs / 1000
  return seconds > 0 ? round2(phase.scheduledRequests / seconds) : 0
}

function round2(value: number): number {
  return Math.round(value * 100) / 100
}
