import type { LatencySummary } from '../metrics/latency-histogram.js'
import { ERROR_CLASSES, type ErrorClassCounts } from '../metrics/outcome.js'
import type { LoadTestResult } from '../result.js'
import { formatCount, formatMs, formatPercent, table } from './format.js'

const latencyCells = (summary: LatencySummary) =>
  [summary.p50, summary.p90, summary.p99, summary.p99_9, summary.max].map((value) =>
    value.toFixed(2),
  )

function headline(result: LoadTestResult): string[] {
  const { overall, headline: head } = result
  const label = (text: string) => `  ${text.padEnd(40)}`
  return [
    `${label('failure rate')}${formatPercent(head.failureRate)}  (${formatCount(overall.failed)} of ${formatCount(overall.requests)} requests)`,
    `${label('average latency of successful requests')}${formatMs(head.averageSuccessLatencyMs)}  (${formatMs(head.averageSuccessLatencyUncorrectedMs)} from actual send)`,
  ]
}

function latencyTable(result: LoadTestResult): string[] {
  const latency = result.overall.latencyMs
  return [
    '  latency of successful requests, ms',
    ...table(
      [
        ['', 'p50', 'p90', 'p99', 'p99.9', 'max'],
        ['from intended send', ...latencyCells(latency.success)],
        ['from actual send', ...latencyCells(latency.successUncorrected)],
      ],
      '    ',
    ),
  ]
}

function rateLine(result: LoadTestResult): string {
  const { load, headline: head } = result
  const target =
    load.targetRatePerSecond === undefined ? '' : `  target ${load.targetRatePerSecond}/s`
  const dropped = load.dropped > 0 ? `  DROPPED ${formatCount(load.dropped)}` : '  dropped 0'
  return `  throughput ${head.throughputPerSecond} req/s${target}  achieved ${load.achievedRatePerSecond}/s${dropped}`
}

function endpointTable(result: LoadTestResult): string[] {
  const rows = Object.entries(result.endpoints).map(([endpoint, stats]) => [
    endpoint,
    formatCount(stats.requests),
    formatPercent(stats.failureRate),
    stats.latencyMs.success.p50.toFixed(2),
    stats.latencyMs.success.p99.toFixed(2),
    stats.latencyMs.success.max.toFixed(2),
  ])
  return table([['endpoint', 'requests', 'failed', 'p50 ms', 'p99 ms', 'max ms'], ...rows])
}

function classesOf(counts: ErrorClassCounts): string {
  const present = ERROR_CLASSES.filter((name) => counts[name] > 0)
  return present.map((name) => `${name} ${counts[name]}`).join(', ') || 'none'
}

function countsLines(result: LoadTestResult): string[] {
  const { overall } = result
  const statuses = Object.entries(overall.statusCodes).map(([code, count]) => `${code}×${count}`)
  const labels = Object.entries(overall.errorLabels)
    .slice(0, 5)
    .map(([label, count]) => `${label} ×${count}`)
  const lines = [
    `  status codes: ${statuses.join('  ') || 'none'}`,
    `  errors: ${classesOf(overall.errorClasses)}`,
  ]
  if (labels.length > 0) lines.push(`  error bodies: ${labels.join('; ')}`)
  const retries = overall.retries
  if (retries.requestsRetried > 0 || overall.firstAttemptFailures !== overall.failed) {
    lines.push(
      `  first attempts failed: ${formatCount(overall.firstAttemptFailures)} (${formatPercent(overall.firstAttemptFailureRate)}: ${classesOf(overall.firstAttemptErrorClasses)}); ` +
        `retried ${formatCount(retries.requestsRetried)} requests (${formatCount(retries.extraAttempts)} extra attempts), ` +
        `${formatCount(retries.succeededAfterRetry)} succeeded on retry`,
    )
  }
  return lines
}

function verifyLine(result: LoadTestResult): string[] {
  const verify = result.verify
  if (!verify) return []
  return [
    `  verify: checked ${formatCount(verify.checked)} acknowledged writes: lost ${verify.lost}, duplicated ${verify.duplicated}, ` +
      `stale ${verify.stale}, mismatched ${verify.mismatched}, counter mismatches ${verify.counterMismatches}` +
      (verify.unverifiable > 0 ? `, unverifiable ${verify.unverifiable}` : '') +
      (verify.ambiguousWrites > 0
        ? ` (${verify.ambiguousWrites} writes had unknown outcomes)`
        : ''),
    ...verify.findings
      .slice(0, 5)
      .map(
        (finding) => `    ${finding.problem} ${finding.entity} ${finding.id}: ${finding.detail}`,
      ),
  ]
}

function thresholdLines(result: LoadTestResult): string[] {
  return result.thresholds.map(
    (outcome) =>
      `  threshold ${outcome.passed ? 'passed' : 'FAILED'}: ${outcome.expression} (actual ${outcome.actual ?? 'n/a'})`,
  )
}

/** The end-of-run summary for a terminal: the seed's two numbers first, then what they hide. */
export function formatSummary(result: LoadTestResult): string {
  const model = result.scenario.model
  const seconds = (result.load.sendWindowMs / 1000).toFixed(1)
  return [
    '',
    `aplus loadtest: ${result.scenario.name} against ${result.target.baseUrl} (${model} model, ${seconds} s${result.stopped ? ', stopped early' : ''})`,
    '',
    ...headline(result),
    '',
    ...latencyTable(result),
    rateLine(result),
    '',
    ...endpointTable(result),
    '',
    ...countsLines(result),
    ...verifyLine(result),
    ...thresholdLines(result),
    ...result.warnings.map((warning) => `  WARNING: ${warning}`),
    '',
  ].join('\n')
}
