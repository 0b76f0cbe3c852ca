import { percent } from '../findings.js'
import type { VariantOutcome } from '../results.js'

/** The comparison as rows of text: the seed's two numbers first, then what they hide. */
export const COMPARISON_HEADERS = [
  'variant',
  'failure rate',
  'avg ok ms',
  'p50 ms',
  'p95 ms',
  'p99 ms',
  'req/s',
  'retryable',
  'hard fail',
  'cold starts',
  'λ throttles',
  'DDB throttled',
  'SDK retries',
  'DDB conns',
  'WCU use',
  'lost writes',
  '$ / 1M req',
]

export const COMPARISON_ALIGN_RIGHT = COMPARISON_HEADERS.map((_, index) => index > 0)

export function comparisonRows(outcomes: readonly VariantOutcome[]): string[][] {
  return outcomes.map((outcome) => {
    const summary = outcome.summary
    if (!summary)
      return [
        outcome.name,
        `failed: ${outcome.error ?? 'unknown'}`,
        ...COMPARISON_HEADERS.slice(2).map(() => ''),
      ]
    const cost = outcome.cost?.perMillionRequestsUsd
    return [
      outcome.name,
      percent(summary.failureRate),
      summary.averageSuccessLatencyMs.toFixed(0),
      summary.p50Ms.toFixed(0),
      summary.p95Ms.toFixed(0),
      summary.p99Ms.toFixed(0),
      summary.throughputPerSecond.toFixed(1),
      String(summary.retryableFailures),
      String(summary.hardFailures),
      String(summary.coldStarts),
      String(summary.lambdaThrottles),
      String(summary.dynamodbThrottledRequests),
      String(summary.sdkRetries),
      String(summary.dynamodbConnectionsOpened),
      summary.tableWriteUtilizationOnceBurstSpent === undefined
        ? '–'
        : percent(summary.tableWriteUtilizationOnceBurstSpent),
      summary.lostWrites === undefined ? 'n/a' : String(summary.lostWrites),
      cost === undefined ? 'n/a' : cost.toFixed(2),
    ]
  })
}

export const FAULT_HEADERS = [
  'variant',
  'DDB 500s',
  'DDB 503s',
  'DDB resets',
  'DDB delayed',
  'λ crashes',
  'λ init failures',
  'SDK retries',
  'hard fail',
  'failure rate',
  'lost writes',
]

/** One row per completed variant, or none when no variant injected any fault. */
export function faultRows(outcomes: readonly VariantOutcome[]): string[][] {
  const completed = outcomes.filter((outcome) => outcome.summary)
  const injected = completed.some((outcome) =>
    Object.values(outcome.summary?.faults ?? {}).some((value) => value > 0),
  )
  if (!injected) return []
  return completed.map((outcome) => {
    const summary = outcome.summary as NonNullable<VariantOutcome['summary']>
    const faults = summary.faults
    return [
      outcome.name,
      String(faults.dynamodbInternalErrors),
      String(faults.dynamodbUnavailable),
      String(faults.dynamodbConnectionResets),
      String(faults.dynamodbDelayed),
      String(faults.lambdaCrashes),
      String(faults.lambdaInitFailures),
      String(summary.sdkRetries),
      String(summary.hardFailures),
      percent(summary.failureRate),
      summary.lostWrites === undefined ? 'n/a' : String(summary.lostWrites),
    ]
  })
}

/** A plain-text table for the terminal, columns padded to their widest cell. */
export function renderTextTable(
  headers: readonly string[],
  rows: readonly string[][],
  alignRight: readonly boolean[],
): string {
  const widths = headers.map((header, column) =>
    Math.max(header.length, ...rows.map((row) => (row[column] ?? '').length)),
  )
  const line = (cells: readonly string[]) =>
    cells
      .map((cell, column) =>
        alignRight[column] ? cell.padStart(widths[column] ?? 0) : cell.padEnd(widths[column] ?? 0),
      )
      .join('  ')
      .trimEnd()
  return [line(headers), line(widths.map((width) => '-'.repeat(width))), ...rows.map(line)].join(
    '\n',
  )
}
