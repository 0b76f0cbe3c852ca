import type { ErrorClass, LoadTestResult } from '../loadtest/index.js'
import type { CostBreakdown } from './cost.js'
import type { VariantSettings } from './definition.js'

/**
 * What one variant's run produced, as the report reads it. Every series is indexed by the second
 * since the measured load started (0 = its first second), whatever clock its source kept; samples
 * are placed by the epoch time their second began, so they line up within a second.
 */
export interface VariantOutcome {
  name: string
  description?: string
  settings: VariantSettings
  status: 'completed' | 'failed'
  /** Why the variant did not complete; the others' results are kept. */
  error?: string
  startedAt: string
  wallClockMs: number
  /** Named stretches of the load (warm-up, moderate, high), in seconds from the load's start. */
  phases: PhaseWindow[]
  summary?: VariantSummary
  series?: VariantSeries
  cost?: CostBreakdown
  /** Sentences that say where and when requests failed, computed from the series. */
  findings: string[]
  /** The load tester's own result document, for anyone who wants every figure. */
  load?: LoadTestResult
}

export interface PhaseWindow {
  name: string
  startSecond: number
  endSecond: number
}

export interface VariantSummary {
  requests: number
  /** The seed's two numbers. */
  failureRate: number
  averageSuccessLatencyMs: number
  p50Ms: number
  p95Ms: number
  p99Ms: number
  throughputPerSecond: number
  /**
   * Write units the table consumed per second in the last phase once its burst balance was
   * spent, as a share of its provisioned write units: 1.0 means DynamoDB admitted all it could.
   * Undefined on demand, or when the burst lasted the whole phase.
   */
  tableWriteUtilizationOnceBurstSpent: number | undefined
  errorClasses: Partial<Record<ErrorClass, number>>
  /** Failures the client could retry as told (429, or 503 with Retry-After) and the rest. */
  retryableFailures: number
  hardFailures: number
  retriedRequests: number
  coldStarts: number
  lambdaThrottles: number
  lambdaErrors: number
  functions: FunctionTotals[]
  resources: ResourceTotals[]
  dynamodbConnectionsOpened: number
  dynamodbThrottledRequests: number
  sdkRetries: number
  lostWrites: number | undefined
  duplicatedWrites: number | undefined
  /** What the local cloud injected on purpose (src/local/faults); all zero without faults. */
  faults: InjectedFaultTotals
}

export interface InjectedFaultTotals {
  dynamodbInternalErrors: number
  dynamodbUnavailable: number
  dynamodbConnectionResets: number
  /** Requests answered late by the added latency. */
  dynamodbDelayed: number
  lambdaCrashes: number
  lambdaInitFailures: number
}

export interface FunctionTotals {
  name: string
  invocations: number
  coldStarts: number
  peakConcurrency: number
  throttles: number
  errors: number
  timeouts: number
  billedGbSeconds: number
}

export interface ResourceTotals {
  /** `aplus` for the table, `aplus/gsi1` for an index. */
  name: string
  consumedReadUnits: number
  consumedWriteUnits: number
  /** Average provisioned units over the load (0 for on-demand). */
  provisionedReadUnits: number
  provisionedWriteUnits: number
  throttledReads: number
  throttledWrites: number
}

export interface VariantSeries {
  seconds: number[]
  load: {
    offered: number[]
    succeeded: number[]
    failed: number[]
    p50Ms: (number | null)[]
    p99Ms: (number | null)[]
  }
  /** Per function: invocations, peak concurrency, cold starts, throttles, errors per second. */
  functions: Record<string, FunctionSeries>
  /** Per table or index: units consumed and provisioned, burst balance, throttled requests. */
  resources: Record<string, ResourceSeries>
  dynamodb: {
    connectionsOpen: number[]
    connectionsOpened: number[]
    sdkRetries: number[]
    /** Injected 500s, 503s and connection resets. */
    injectedErrors: number[]
  }
}

export interface FunctionSeries {
  invocations: number[]
  concurrency: number[]
  coldStarts: number[]
  throttles: number[]
  errors: number[]
  timeouts: number[]
  billedGbSeconds: number[]
  /** Injected: environments killed mid-request, and inits failed. */
  crashes: number[]
  initFailures: number[]
}

export interface ResourceSeries {
  consumedRead: number[]
  consumedWrite: number[]
  provisionedRead: (number | null)[]
  provisionedWrite: (number | null)[]
  balanceRead: (number | null)[]
  balanceWrite: (number | null)[]
  throttledReads: number[]
  throttledWrites: number[]
}

/** The whole run: recorded config, every variant, and where the report went. */
export interface ExperimentRun {
  formatVersion: 1
  experiment: string
  experimentFile: string
  quick: boolean
  seed: number
  startedAt: string
  endedAt?: string
  variants: VariantOutcome[]
}
