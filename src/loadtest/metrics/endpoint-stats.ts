import { LatencyHistogram, type LatencySummary } from './latency-histogram.js'
import { type ErrorClass, type ErrorClassCounts, zeroErrorClassCounts } from './outcome.js'

/** One finished logical request (after retries), as the statistics see it. */
export interface FinishedRequest {
  /** Latency from the intended send time (coordinated omission corrected). */
  latencyMs: number
  /** Latency from when the first attempt reached a socket; undefined if it never did. */
  uncorrectedLatencyMs: number | undefined
  statusCode: number
  errorClass: ErrorClass | undefined
  firstAttemptErrorClass: ErrorClass | undefined
  attempts: number
  errorLabel: string | undefined
}

/** Counts of one population of requests, as they appear in the result. */
export interface StatsSnapshot {
  requests: number
  succeeded: number
  failed: number
  failureRate: number
  firstAttemptFailures: number
  firstAttemptFailureRate: number
  statusCodes: Record<string, number>
  errorClasses: ErrorClassCounts
  firstAttemptErrorClasses: ErrorClassCounts
  /** Error codes or gateway messages seen in non-2xx bodies, with counts. */
  errorLabels: Record<string, number>
  retries: { requestsRetried: number; extraAttempts: number; succeededAfterRetry: number }
  latencyMs: {
    /** Successful requests, from the intended send time. The headline figure. */
    success: LatencySummary
    /** Successful requests, from the actual send time (what a naive client reports). */
    successUncorrected: LatencySummary
    /** Every request that ended, failures included (a timeout counts as its timeout). */
    all: LatencySummary
    allUncorrected: LatencySummary
  }
}

const MAX_ERROR_LABELS = 50

/** Statistics for one population: the whole run, or one endpoint. */
export class EndpointStats {
  requests = 0
  succeeded = 0
  firstAttemptFailures = 0
  requestsRetried = 0
  extraAttempts = 0
  succeededAfterRetry = 0
  readonly statusCodes = new Map<number, number>()
  readonly errorClasses = zeroErrorClassCounts()
  readonly firstAttemptErrorClasses = zeroErrorClassCounts()
  readonly errorLabels = new Map<string, number>()
  readonly success = new LatencyHistogram()
  readonly successUncorrected = new LatencyHistogram()
  readonly all = new LatencyHistogram()
  readonly allUncorrected = new LatencyHistogram()

  record(finished: FinishedRequest): void {
    this.requests += 1
    if (finished.statusCode > 0) {
      this.statusCodes.set(
        finished.statusCode,
        (this.statusCodes.get(finished.statusCode) ?? 0) + 1,
      )
    }
    this.all.recordMs(finished.latencyMs)
    if (finished.uncorrectedLatencyMs !== undefined) {
      this.allUncorrected.recordMs(finished.uncorrectedLatencyMs)
    }

    if (finished.errorClass === undefined) {
      this.succeeded += 1
      this.success.recordMs(finished.latencyMs)
      if (finished.uncorrectedLatencyMs !== undefined) {
        this.successUncorrected.recordMs(finished.uncorrectedLatencyMs)
      }
    } else {
      this.errorClasses[finished.errorClass] += 1
    }

    if (finished.firstAttemptErrorClass !== undefined) {
      this.firstAttemptFailures += 1
      this.firstAttemptErrorClasses[finished.firstAttemptErrorClass] += 1
    }
    if (finished.attempts > 1) {
      this.requestsRetried += 1
      this.extraAttempts += finished.attempts - 1
      if (finished.errorClass === undefined) this.succeededAfterRetry += 1
    }
    if (finished.errorLabel !== undefined) this.#countLabel(finished.errorLabel)
  }

  #countLabel(label: string): void {
    const key =
      this.errorLabels.has(label) || this.errorLabels.size < MAX_ERROR_LABELS ? label : 'other'
    this.errorLabels.set(key, (this.errorLabels.get(key) ?? 0) + 1)
  }

  snapshot(): StatsSnapshot {
    const failed = this.requests - this.succeeded
    const rate = (count: number) => (this.requests === 0 ? 0 : count / this.requests)
    return {
      requests: this.requests,
      succeeded: this.succeeded,
      failed,
      failureRate: rate(failed),
      firstAttemptFailures: this.firstAttemptFailures,
      firstAttemptFailureRate: rate(this.firstAttemptFailures),
      statusCodes: Object.fromEntries([...this.statusCodes].sort(([a], [b]) => a - b)),
      errorClasses: { ...this.errorClasses },
      firstAttemptErrorClasses: { ...this.firstAttemptErrorClasses },
      errorLabels: Object.fromEntries([...this.errorLabels].sort(([, a], [, b]) => b - a)),
      retries: {
        requestsRetried: this.requestsRetried,
        extraAttempts: this.extraAttempts,
        succeededAfterRetry: this.succeededAfterRetry,
      },
      latencyMs: {
        success: this.success.summary(),
        successUncorrected: this.successUncorrected.summary(),
        all: this.all.summary(),
        allUncorrected: this.allUncorrected.summary(),
      },
    }
  }
}
