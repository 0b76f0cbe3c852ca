import { describe, expect, it } from 'vitest'
import { buildSeries, type RunRecords, summarize } from '../../src/experiment/collect.js'
import type { LoadTestResult } from '../../src/loadtest/index.js'
import type { SecondMetrics } from '../../src/local/dynamodb/governor/metrics.js'
import type { TimelineExport } from '../../src/local/timeline.js'

const LOAD_START = 1_000_000_000_000

/** A load tester's record of `seconds` seconds: 10 sent and 8 succeeded each second. */
function loadRecord(seconds: number): LoadTestResult {
  const zeroClasses = {
    connection_error: 0,
    timeout: 0,
    http_4xx: 0,
    http_429: 3,
    http_5xx: 1,
    http_503_throttled: 2,
    unexpected_status: 0,
  }
  const latency = { count: 1, mean: 5, min: 1, p50: 4, p90: 8, p95: 9, p99: 10, p99_9: 11, max: 12 }
  return {
    headline: {
      failureRate: 0.2,
      averageSuccessLatencyMs: 5,
      p50Ms: 4,
      p95Ms: 9,
      p99Ms: 10,
      throughputPerSecond: 10,
    },
    overall: {
      requests: 30,
      failed: 6,
      errorClasses: zeroClasses,
      retries: { requestsRetried: 0, extraAttempts: 0, succeededAfterRetry: 0 },
      latencyMs: { success: latency },
    },
    timeline: Array.from({ length: seconds }, (_, second) => ({
      second,
      scheduled: 0,
      sent: 10,
      dropped: 0,
      completed: 10,
      succeeded: 8,
      failed: 2,
      timeouts: 0,
      inFlight: 0,
      p50Ms: 4,
      p99Ms: 10,
      maxMs: 12,
    })),
    verify: { lost: 0, duplicated: 0 },
  } as unknown as LoadTestResult
}

/** DynamoDB seconds for the table: provisioned 25 write units, burst balance as given. */
function tableSeconds(balances: number[], consumed: number[]): SecondMetrics[] {
  return balances.map((balanceUnits, index) => ({
    epochSecond: LOAD_START / 1000 + index,
    connections: { open: 2, opened: index === 0 ? 2 : 0 },
    sdkRetries: 1,
    faults: {
      delayed: 0,
      addedLatencyMs: 0,
      internalErrors: 0,
      unavailable: 0,
      connectionResets: 0,
    },
    requests: [
      {
        tableName: 'aplus',
        operation: 'PutItem',
        admitted: 5,
        throttled: index > 2 ? 4 : 0,
        unprocessedItems: 0,
      },
    ],
    resources: [
      {
        tableName: 'aplus',
        mode: 'provisioned' as const,
        read: {
          mode: 'provisioned' as const,
          limitUnitsPerSecond: 25,
          balanceUnits: 100,
          capacityUnits: 7525,
          consumedUnits: 1,
          throttledRequests: 0,
        },
        write: {
          mode: 'provisioned' as const,
          limitUnitsPerSecond: 25,
          balanceUnits,
          capacityUnits: 7525,
          consumedUnits: consumed[index] ?? 0,
          throttledRequests: index > 2 ? 4 : 0,
        },
      },
    ],
  }))
}

function lambdaTimeline(seconds: number, startOffsetMs: number): TimelineExport {
  return {
    version: 1,
    startedAtEpochMs: LOAD_START + startOffsetMs,
    functions: ['app'],
    seconds: Array.from({ length: seconds }, (_, index) => ({
      second: index,
      startEpochMs: LOAD_START + startOffsetMs + index * 1000,
      functions: {
        app: {
          invocations: 10,
          concurrencyPeak: 3,
          coldStarts: index === 0 ? 2 : 0,
          throttles: 0,
          throttlesByReason: {},
          errors: 0,
          faults: { crashes: 0, initFailures: 0 },
          timeouts: 0,
          durationMs: null,
          billedGbSeconds: 0.01,
        },
      },
      gateway: { requests: 10, byStatus: {} },
    })),
  }
}

function records(overrides: Partial<RunRecords> = {}): RunRecords {
  return {
    load: loadRecord(6),
    lambda: lambdaTimeline(8, -2000),
    dynamodb: tableSeconds([100, 60, 30, 10, 0, -2], [20, 40, 40, 45, 25, 24]),
    loadStartEpochMs: LOAD_START,
    loadEndEpochMs: LOAD_START + 6000,
    phases: [
      { name: 'moderate', startSecond: 0, endSecond: 2 },
      { name: 'high', startSecond: 2, endSecond: 6 },
    ],
    ...overrides,
  }
}

describe('aligning a run on the load', () => {
  it('places each source by the second it began, leaving out what came before the load', () => {
    const series = buildSeries(records())
    expect(series.seconds).toEqual([0, 1, 2, 3, 4, 5])
    // The Lambda timeline began 2 s before the load: its first two seconds are set-up.
    expect(series.functions.app?.invocations).toEqual([10, 10, 10, 10, 10, 10])
    expect(series.functions.app?.coldStarts).toEqual([0, 0, 0, 0, 0, 0])
    expect(series.resources.aplus?.consumedWrite).toEqual([20, 40, 40, 45, 25, 24])
  })

  it('leaves out samples that run into the read-back', () => {
    // Reading back began 4.5 s in: the second from 4 s to 5 s overlaps it by more than the slack.
    const series = buildSeries(records({ loadEndEpochMs: LOAD_START + 4500 }))
    expect(series.resources.aplus?.consumedWrite).toEqual([20, 40, 40, 45, 0, 0])
  })
})

describe('summarizing a run', () => {
  it('tells retryable refusals from hard failures', () => {
    const summary = summarize(records(), buildSeries(records()))
    expect(summary.retryableFailures).toBe(5)
    expect(summary.hardFailures).toBe(1)
    expect(summary.sdkRetries).toBe(6)
    expect(summary.dynamodbConnectionsOpened).toBe(2)
  })

  it('counts the faults injected during the load, not those of the set-up before it', () => {
    const base = records()
    const faulty = records({
      dynamodb: base.dynamodb.map((second) => ({
        ...second,
        faults: { ...second.faults, internalErrors: 2, connectionResets: 1, delayed: 5 },
      })),
      lambda: {
        ...base.lambda,
        seconds: base.lambda.seconds.map((second) => {
          const app = second.functions.app
          if (!app) throw new Error('the fixture has an app function')
          return {
            ...second,
            functions: { app: { ...app, faults: { crashes: 1, initFailures: 0 } } },
          }
        }),
      },
    })
    const series = buildSeries(faulty)
    expect(series.dynamodb.injectedErrors).toEqual([3, 3, 3, 3, 3, 3])
    // The Lambda timeline began 2 s before the load: its first two crashes were in the set-up.
    expect(summarize(faulty, series).faults).toEqual({
      dynamodbInternalErrors: 12,
      dynamodbUnavailable: 0,
      dynamodbConnectionResets: 6,
      dynamodbDelayed: 30,
      lambdaCrashes: 6,
      lambdaInitFailures: 0,
    })
    expect(summarize(base, buildSeries(base)).faults.lambdaCrashes).toBe(0)
  })

  it('measures write use after the burst balance fell under a second of throughput', () => {
    // The balance is under 25 units from second 3 of the high phase: seconds 4 and 5 count.
    const summary = summarize(records(), buildSeries(records()))
    expect(summary.tableWriteUtilizationOnceBurstSpent).toBeCloseTo((25 + 24) / 2 / 25, 3)
  })

  it('has no sustained write use when the burst lasted the whole high phase', () => {
    const full = records({
      dynamodb: tableSeconds([7000, 6900, 6800, 6700, 6600, 6500], [20, 40, 40, 45, 25, 24]),
    })
    expect(summarize(full, buildSeries(full)).tableWriteUtilizationOnceBurstSpent).toBeUndefined()
  })
})
