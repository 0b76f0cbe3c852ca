import type { VariantOutcome, VariantSeries } from '../results.js'
import type { ChartSeries, ChartSpec } from './chart-spec.js'

/** The charts of one variant's timelines, each over seconds since the load started. */
export function variantCharts(outcome: VariantOutcome, id: string): ChartSpec[] {
  const series = outcome.series
  if (!series) return []
  return [
    requestsChart(series, id),
    latencyChart(series, id),
    ...capacityCharts(series, id),
    concurrencyChart(series, id),
    ...faultCharts(series, id),
  ]
}

/** Injected faults per second beside the load's failures: drawn only when there were any. */
function faultCharts(series: VariantSeries, id: string): ChartSpec[] {
  const functions = Object.values(series.functions)
  const crashes = series.seconds.map((second) =>
    functions.reduce(
      (sum, fn) => sum + (fn.crashes[second] ?? 0) + (fn.initFailures[second] ?? 0),
      0,
    ),
  )
  const injected = series.dynamodb.injectedErrors
  if ([...crashes, ...injected].every((value) => value === 0)) return []
  return [
    timeline(`${id}-faults`, 'Injected faults and failed requests', series.seconds, 'per second', [
      { label: 'DynamoDB errors injected (500, 503, reset)', values: injected, style: 'bar' },
      { label: 'Lambda crashes and init failures injected', values: crashes, style: 'bar' },
      { label: 'SDK retries', values: series.dynamodb.sdkRetries },
      { label: 'failed requests', values: series.load.failed },
    ]),
  ]
}

function timeline(
  id: string,
  title: string,
  labels: number[],
  yLabel: string,
  series: ChartSeries[],
) {
  return {
    id,
    title,
    kind: 'timeline' as const,
    labels,
    xLabel: 'second of the load',
    yLabel,
    series,
  }
}

function requestsChart(series: VariantSeries, id: string): ChartSpec {
  return timeline(
    `${id}-requests`,
    'Requests per second: offered, succeeded, failed',
    series.seconds,
    'requests/s',
    [
      { label: 'offered (sent)', values: series.load.offered, dashed: true },
      { label: 'succeeded', values: series.load.succeeded, style: 'area', stack: 'outcome' },
      { label: 'failed', values: series.load.failed, style: 'area', stack: 'outcome' },
    ],
  )
}

function latencyChart(series: VariantSeries, id: string): ChartSpec {
  return timeline(
    `${id}-latency`,
    'Latency of requests finished in each second',
    series.seconds,
    'ms',
    [
      { label: 'p50', values: series.load.p50Ms },
      { label: 'p99', values: series.load.p99Ms },
    ],
  )
}

/** Consumed against provisioned write and read units, and burst balance, per table and index. */
function capacityCharts(series: VariantSeries, id: string): ChartSpec[] {
  return Object.entries(series.resources).flatMap(([name, resource], index) =>
    (['write', 'read'] as const).map((kind) => {
      const consumed = kind === 'write' ? resource.consumedWrite : resource.consumedRead
      const provisioned = kind === 'write' ? resource.provisionedWrite : resource.provisionedRead
      const balance = kind === 'write' ? resource.balanceWrite : resource.balanceRead
      const throttled = kind === 'write' ? resource.throttledWrites : resource.throttledReads
      const hasProvisioned = provisioned.some((value) => value !== null)
      return {
        ...timeline(
          `${id}-capacity-${index}-${kind}`,
          `DynamoDB ${name}: ${kind} units consumed${hasProvisioned ? ' against provisioned, with burst balance' : ''}`,
          series.seconds,
          `${kind} units/s`,
          [
            { label: `consumed ${kind} units`, values: consumed, style: 'bar' },
            ...(hasProvisioned
              ? [{ label: 'provisioned', values: provisioned, dashed: true }]
              : []),
            { label: 'throttled requests', values: throttled, style: 'bar' },
            ...(hasProvisioned
              ? [{ label: 'burst balance', values: balance, axis: 'right' as const }]
              : []),
          ],
        ),
        ...(hasProvisioned ? { rightYLabel: 'balance (units)' } : {}),
      }
    }),
  )
}

function concurrencyChart(series: VariantSeries, id: string): ChartSpec {
  const active = Object.entries(series.functions).filter(([, fn]) =>
    fn.invocations.some((count) => count > 0),
  )
  const coldStarts = series.seconds.map((second) =>
    active.reduce((sum, [, fn]) => sum + (fn.coldStarts[second] ?? 0), 0),
  )
  const throttles = series.seconds.map((second) =>
    active.reduce((sum, [, fn]) => sum + (fn.throttles[second] ?? 0), 0),
  )
  return {
    ...timeline(
      `${id}-concurrency`,
      'Lambda: concurrent executions per function, cold starts, throttles',
      series.seconds,
      'executions',
      [
        ...active.map(([name, fn]) => ({
          label: name,
          values: fn.concurrency,
          style: 'area' as const,
          stack: 'concurrency',
        })),
        { label: 'cold starts', values: coldStarts, style: 'bar', axis: 'right' },
        { label: 'throttles', values: throttles, style: 'bar', axis: 'right' },
      ],
    ),
    rightYLabel: 'per second',
  }
}

/** Bars across variants, one chart per measure. */
export function comparisonCharts(outcomes: readonly VariantOutcome[]): ChartSpec[] {
  const completed = outcomes.filter((outcome) => outcome.summary)
  const labels = completed.map((outcome) => outcome.name)
  const bar = (id: string, title: string, yLabel: string, series: ChartSeries[]): ChartSpec => ({
    id,
    title,
    kind: 'comparison',
    labels,
    xLabel: 'variant',
    yLabel,
    series,
  })
  const pick = (read: (outcome: VariantOutcome) => number | undefined) =>
    completed.map((outcome) => read(outcome) ?? null)
  return [
    bar('compare-failures', 'Failure rate (share of requests)', '%', [
      {
        label: 'retryable refusals (429, 503 + Retry-After)',
        style: 'bar',
        stack: 'failed',
        values: pick(
          (o) => o.summary && (100 * o.summary.retryableFailures) / Math.max(1, o.summary.requests),
        ),
      },
      {
        label: 'hard failures',
        style: 'bar',
        stack: 'failed',
        values: pick(
          (o) => o.summary && (100 * o.summary.hardFailures) / Math.max(1, o.summary.requests),
        ),
      },
    ]),
    bar('compare-latency', 'Latency of successful requests', 'ms', [
      { label: 'average', style: 'bar', values: pick((o) => o.summary?.averageSuccessLatencyMs) },
      { label: 'p95', style: 'bar', values: pick((o) => o.summary?.p95Ms) },
      { label: 'p99', style: 'bar', values: pick((o) => o.summary?.p99Ms) },
    ]),
    bar('compare-work', 'Cold starts, SDK retries and DynamoDB throttles', 'count', [
      { label: 'cold starts', style: 'bar', values: pick((o) => o.summary?.coldStarts) },
      { label: 'SDK retries', style: 'bar', values: pick((o) => o.summary?.sdkRetries) },
      {
        label: 'DynamoDB throttled requests',
        style: 'bar',
        values: pick((o) => o.summary?.dynamodbThrottledRequests),
      },
    ]),
    bar('compare-cost', 'Estimated AWS cost per million requests', 'USD', [
      {
        label: 'cost per million requests',
        style: 'bar',
        values: pick((o) => o.cost?.perMillionRequestsUsd),
      },
    ]),
  ]
}
