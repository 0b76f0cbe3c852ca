import type { ErrorClass, LoadTestResult } from '../loadtest/index.js'
import type { SecondMetrics } from '../local/dynamodb/governor/metrics.js'
import type { TimelineExport } from '../local/timeline.js'
import type {
  FunctionSeries,
  FunctionTotals,
  InjectedFaultTotals,
  PhaseWindow,
  ResourceSeries,
  ResourceTotals,
  VariantSeries,
  VariantSummary,
} from './results.js'

/** What a run's three sources recorded, with the load's start to align them on. */
export interface RunRecords {
  load: LoadTestResult
  lambda: TimelineExport
  dynamodb: readonly SecondMetrics[]
  loadStartEpochMs: number
  /** When reading back began: samples that overlap it are left out, so they hold load only. */
  loadEndEpochMs: number
  phases: readonly PhaseWindow[]
}

/**
 * How far a sample may overlap the read-back and still count: the clouds' seconds are not
 * aligned with the load's, so up to a quarter of a second of overlap keeps the load's last second.
 */
const SAMPLE_SLACK_MS = 250

/** Refusals a client is told to retry: 429, and 503 with Retry-After. */
const RETRYABLE: readonly ErrorClass[] = ['http_429', 'http_503_throttled']

/** Per-second series on one axis: seconds since the load started, over the load's length. */
export function buildSeries(records: RunRecords): VariantSeries {
  const length = records.load.timeline.length
  const seconds = Array.from({ length }, (_, index) => index)
  const indexOf = secondIndex(records)
  return {
    seconds,
    load: {
      offered: records.load.timeline.map((second) => second.sent + second.dropped),
      succeeded: records.load.timeline.map((second) => second.succeeded),
      failed: records.load.timeline.map((second) => second.failed),
      p50Ms: records.load.timeline.map((second) => (second.completed > 0 ? second.p50Ms : null)),
      p99Ms: records.load.timeline.map((second) => (second.completed > 0 ? second.p99Ms : null)),
    },
    functions: functionSeries(records.lambda, length, indexOf),
    resources: resourceSeries(records.dynamodb, length, indexOf),
    dynamodb: endpointSeries(records.dynamodb, length, indexOf),
  }
}

/**
 * Where a sample whose second starts at `epochMs` goes in the series: seconds since the load
 * started, or -1 for one that runs into the read-back.
 */
function secondIndex(records: RunRecords): (epochMs: number) => number {
  return (epochMs) =>
    epochMs + 1000 > records.loadEndEpochMs + SAMPLE_SLACK_MS
      ? -1
      : Math.floor((epochMs - records.loadStartEpochMs) / 1000)
}

function functionSeries(
  lambda: TimelineExport,
  length: number,
  indexOf: (epochMs: number) => number,
): Record<string, FunctionSeries> {
  const series: Record<string, FunctionSeries> = {}
  for (const name of lambda.functions) {
    series[name] = {
      invocations: zeros(length),
      concurrency: zeros(length),
      coldStarts: zeros(length),
      throttles: zeros(length),
      errors: zeros(length),
      timeouts: zeros(length),
      billedGbSeconds: zeros(length),
      crashes: zeros(length),
      initFailures: zeros(length),
    }
  }
  for (const second of lambda.seconds) {
    const index = indexOf(second.startEpochMs)
    if (index < 0 || index >= length) continue
    for (const [name, counts] of Object.entries(second.functions)) {
      const target = series[name]
      if (!target) continue
      add(target.invocations, index, counts.invocations)
      target.concurrency[index] = Math.max(target.concurrency[index] ?? 0, counts.concurrencyPeak)
      add(target.coldStarts, index, counts.coldStarts)
      add(target.throttles, index, counts.throttles)
      add(target.errors, index, counts.errors)
      add(target.timeouts, index, counts.timeouts)
      add(target.billedGbSeconds, index, counts.billedGbSeconds)
      add(target.crashes, index, counts.faults.crashes)
      add(target.initFailures, index, counts.faults.initFailures)
    }
  }
  return series
}

function resourceSeries(
  dynamodb: readonly SecondMetrics[],
  length: number,
  indexOf: (epochMs: number) => number,
): Record<string, ResourceSeries> {
  const series: Record<string, ResourceSeries> = {}
  for (const second of dynamodb) {
    const index = indexOf(second.epochSecond * 1000)
    if (index < 0 || index >= length) continue
    for (const resource of second.resources) {
      const name = resourceName(resource.tableName, resource.indexName)
      series[name] ??= {
        consumedRead: zeros(length),
        consumedWrite: zeros(length),
        provisionedRead: nulls(length),
        provisionedWrite: nulls(length),
        balanceRead: nulls(length),
        balanceWrite: nulls(length),
        throttledReads: zeros(length),
        throttledWrites: zeros(length),
      }
      const target = series[name]
      add(target.consumedRead, index, resource.read.consumedUnits)
      add(target.consumedWrite, index, resource.write.consumedUnits)
      const provisioned = resource.mode === 'provisioned'
      target.provisionedRead[index] = provisioned ? resource.read.limitUnitsPerSecond : null
      target.provisionedWrite[index] = provisioned ? resource.write.limitUnitsPerSecond : null
      target.balanceRead[index] = provisioned ? round(resource.read.balanceUnits) : null
      target.balanceWrite[index] = provisioned ? round(resource.write.balanceUnits) : null
      add(target.throttledReads, index, resource.read.throttledRequests)
      add(target.throttledWrites, index, resource.write.throttledRequests)
    }
  }
  return series
}

function endpointSeries(
  dynamodb: readonly SecondMetrics[],
  length: number,
  indexOf: (epochMs: number) => number,
): VariantSeries['dynamodb'] {
  const series = {
    connectionsOpen: zeros(length),
    connectionsOpened: zeros(length),
    sdkRetries: zeros(length),
    injectedErrors: zeros(length),
  }
  for (const second of dynamodb) {
    const index = indexOf(second.epochSecond * 1000)
    if (index < 0 || index >= length) continue
    series.connectionsOpen[index] = second.connections.open
    add(series.connectionsOpened, index, second.connections.opened)
    add(series.sdkRetries, index, second.sdkRetries)
    const { internalErrors, unavailable, connectionResets } = second.faults
    add(series.injectedErrors, index, internalErrors + unavailable + connectionResets)
  }
  return series
}

/** The faults injected during the measured load (the same seconds the series keep). */
function injectedFaults(records: RunRecords, series: VariantSeries): InjectedFaultTotals {
  const totals: InjectedFaultTotals = {
    dynamodbInternalErrors: 0,
    dynamodbUnavailable: 0,
    dynamodbConnectionResets: 0,
    dynamodbDelayed: 0,
    lambdaCrashes: sum(Object.values(series.functions).flatMap((fn) => fn.crashes)),
    lambdaInitFailures: sum(Object.values(series.functions).flatMap((fn) => fn.initFailures)),
  }
  const indexOf = secondIndex(records)
  for (const second of records.dynamodb) {
    const index = indexOf(second.epochSecond * 1000)
    if (index < 0 || index >= series.seconds.length) continue
    totals.dynamodbInternalErrors += second.faults.internalErrors
    totals.dynamodbUnavailable += second.faults.unavailable
    totals.dynamodbConnectionResets += second.faults.connectionResets
    totals.dynamodbDelayed += second.faults.delayed
  }
  return totals
}

/** The figures of one run: the seed's two first, then what they hide. */
export function summarize(records: RunRecords, series: VariantSeries): VariantSummary {
  const { load } = records
  const overall = load.overall
  const errorClasses = Object.fromEntries(
    Object.entries(overall.errorClasses).filter(([, count]) => count > 0),
  ) as VariantSummary['errorClasses']
  const retryableFailures = RETRYABLE.reduce(
    (sum, kind) => sum + (overall.errorClasses[kind] ?? 0),
    0,
  )
  const functions = functionTotals(series)
  const resources = resourceTotals(series)
  return {
    requests: overall.requests,
    failureRate: load.headline.failureRate,
    averageSuccessLatencyMs: load.headline.averageSuccessLatencyMs,
    p50Ms: load.headline.p50Ms,
    p95Ms: load.headline.p95Ms,
    p99Ms: load.headline.p99Ms,
    throughputPerSecond: load.headline.throughputPerSecond,
    tableWriteUtilizationOnceBurstSpent: writeUtilizationOnceBurstSpent(series, records.phases),
    errorClasses,
    retryableFailures,
    hardFailures: overall.failed - retryableFailures,
    retriedRequests: overall.retries.requestsRetried,
    coldStarts: sum(functions.map((fn) => fn.coldStarts)),
    lambdaThrottles: sum(functions.map((fn) => fn.throttles)),
    lambdaErrors: sum(functions.map((fn) => fn.errors)),
    functions,
    resources,
    dynamodbConnectionsOpened: sum(series.dynamodb.connectionsOpened),
    dynamodbThrottledRequests: sum(
      records.dynamodb.flatMap((second) => second.requests.map((request) => request.throttled)),
    ),
    sdkRetries: sum(series.dynamodb.sdkRetries),
    lostWrites: load.verify?.lost,
    duplicatedWrites: load.verify?.duplicated,
    faults: injectedFaults(records, series),
  }
}

function functionTotals(series: VariantSeries): FunctionTotals[] {
  return Object.entries(series.functions).map(([name, fn]) => ({
    name,
    invocations: sum(fn.invocations),
    coldStarts: sum(fn.coldStarts),
    peakConcurrency: Math.max(0, ...fn.concurrency),
    throttles: sum(fn.throttles),
    errors: sum(fn.errors),
    timeouts: sum(fn.timeouts),
    billedGbSeconds: round(sum(fn.billedGbSeconds)),
  }))
}

function resourceTotals(series: VariantSeries): ResourceTotals[] {
  return Object.entries(series.resources).map(([name, resource]) => ({
    name,
    consumedReadUnits: round(sum(resource.consumedRead)),
    consumedWriteUnits: round(sum(resource.consumedWrite)),
    provisionedReadUnits: round(mean(resource.provisionedRead)),
    provisionedWriteUnits: round(mean(resource.provisionedWrite)),
    throttledReads: sum(resource.throttledReads),
    throttledWrites: sum(resource.throttledWrites),
  }))
}

/**
 * Mean consumed / provisioned write units of the table over the last phase's seconds after the
 * one in which its burst balance fell below a second of throughput: the sustained rate DynamoDB
 * admitted under overload, without the burst saved up in quieter seconds.
 */
function writeUtilizationOnceBurstSpent(
  series: VariantSeries,
  phases: readonly PhaseWindow[],
): number | undefined {
  const peak = phases.at(-1)
  const table = Object.entries(series.resources).find(([name]) => !name.includes('/'))?.[1]
  if (!peak || !table) return undefined
  const spentAt = series.seconds.findIndex((second) => {
    const balance = table.balanceWrite[second]
    const provisioned = table.provisionedWrite[second]
    return (
      second >= peak.startSecond &&
      second < peak.endSecond &&
      balance != null &&
      provisioned != null &&
      balance < provisioned
    )
  })
  if (spentAt < 0 || spentAt + 1 >= peak.endSecond) return undefined
  const window = (values: readonly (number | null)[]) => values.slice(spentAt + 1, peak.endSecond)
  const provisioned = mean(window(table.provisionedWrite))
  if (!provisioned) return undefined
  return round(mean(window(table.consumedWrite)) / provisioned)
}

export function resourceName(tableName: string, indexName: string | undefined): string {
  return indexName ? `${tableName}/${indexName}` : tableName
}

const zeros = (length: number) => Array.from({ length }, () => 0)
const nulls = (length: number): (number | null)[] => Array.from({ length }, () => null)
const add = (values: number[], index: number, amount: number) => {
  values[index] = (values[index] ?? 0) + amount
}
const sum = (values: readonly number[]) => values.reduce((total, value) => total + value, 0)
const round = (value: number) => Math.round(value * 1000) / 1000
function mean(values: readonly (number | null)[]): number {
  const present = values.filter((value): value is number => value !== null)
  return present.length === 0 ? 0 : sum(present) / present.length
}
