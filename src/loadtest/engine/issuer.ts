import type { RequestKindName } from '../contract.js'
import type { AttemptOutcome, HttpTarget } from '../http/target.js'
import type { EndpointStats, FinishedRequest } from '../metrics/endpoint-stats.js'
import { classifyOutcome, errorLabelOf, isRetryable } from '../metrics/outcome.js'
import type { Timeline } from '../metrics/timeline.js'
import { type PreparedRequest, prepareRequest, type WorkloadContext } from '../workload/kinds.js'
import type { SeededRandom } from '../workload/random.js'

export interface RetryPolicy {
  /** Extra attempts after a 429 or 503; 0 measures first attempts only. */
  retries: number
  /** The longest wait between attempts, whatever Retry-After asks for. */
  maxRetryDelayMs: number
}

/** Everything a finished request reports, for subscribers of the runner's `response` event. */
export interface ResponseRecord extends FinishedRequest {
  kind: RequestKindName
  endpoint: string
  intendedAt: number
  endedAt: number
}

const FIRST_BACKOFF_MS = 100

/** A logical request: one prepared request and its attempts so far. */
class Flight {
  attempts = 0
  firstSentAt: number | undefined = undefined
  firstErrorClass: ReturnType<typeof classifyOutcome> = undefined
  retryTimer: NodeJS.Timeout | undefined = undefined
  lastOutcome: AttemptOutcome | undefined = undefined

  constructor(
    readonly prepared: PreparedRequest,
    readonly intendedAt: number,
    readonly onDone: (() => void) | undefined,
  ) {}
}

export interface IssuerParts {
  target: HttpTarget
  context: WorkloadContext
  overall: EndpointStats
  endpointStats: (endpoint: string) => EndpointStats
  timeline: Timeline
  retryPolicy: RetryPolicy
  jitterRandom: SeededRandom
  /** Called for each finished request when someone listens; undefined keeps the hot path lean. */
  onResponse: ((record: ResponseRecord) => void) | undefined
}

/**
 * Sends logical requests, retries them when the policy allows, and records each one exactly once
 * when it finishes. Latency is measured from `intendedAt` (the schedule's send time) and, for the
 * uncorrected figure, from when the first attempt reached a socket.
 */
export class RequestIssuer {
  readonly #parts: IssuerParts
  readonly #waitingToRetry = new Set<Flight>()
  #outstanding = 0
  /** After this performance.now(), no retry is started: the run is ending. */
  retryCutoffAt = Number.POSITIVE_INFINITY

  constructor(parts: IssuerParts) {
    this.#parts = parts
  }

  /** Logical requests sent and not yet finished, retries included. */
  get outstanding(): number {
    return this.#outstanding
  }

  issue(
    kind: RequestKindName,
    headers: Record<string, string>,
    intendedAt: number,
    onDone?: () => void,
  ): void {
    const prepared = prepareRequest(kind, this.#parts.context, headers)
    const flight = new Flight(prepared, intendedAt, onDone)
    this.#outstanding += 1
    this.#parts.timeline.sent(performance.now())
    this.#attempt(flight)
  }

  /** Finishes every request still waiting for a retry with the outcome of its last attempt. */
  abandonRetries(): void {
    for (const flight of this.#waitingToRetry) {
      clearTimeout(flight.retryTimer)
      if (flight.lastOutcome) this.#finish(flight, flight.lastOutcome)
    }
    this.#waitingToRetry.clear()
  }

  #attempt(flight: Flight): void {
    flight.attempts += 1
    const { request, wantBody } = flight.prepared
    this.#parts.target.send(request, wantBody, (outcome) => this.#settled(flight, outcome))
  }

  #settled(flight: Flight, outcome: AttemptOutcome): void {
    if (flight.attempts === 1) {
      flight.firstSentAt = outcome.sentAt
      flight.firstErrorClass = classifyOutcome(outcome, flight.prepared.expectedStatuses)
    }
    const delayMs = this.#retryDelayMs(flight, outcome)
    if (delayMs === undefined) {
      this.#finish(flight, outcome)
      return
    }
    flight.lastOutcome = outcome
    this.#waitingToRetry.add(flight)
    flight.retryTimer = setTimeout(() => {
      this.#waitingToRetry.delete(flight)
      this.#attempt(flight)
    }, delayMs)
  }

  /** How long to wait before the next attempt, or undefined when there is none. */
  #retryDelayMs(flight: Flight, outcome: AttemptOutcome): number | undefined {
    const { retries, maxRetryDelayMs } = this.#parts.retryPolicy
    if (flight.attempts > retries || !isRetryable(outcome)) return undefined
    if (classifyOutcome(outcome, flight.prepared.expectedStatuses) === undefined) return undefined

    const backoffMs = FIRST_BACKOFF_MS * 2 ** (flight.attempts - 1)
    const askedMs =
      outcome.retryAfterSeconds !== undefined
        ? outcome.retryAfterSeconds * 1000
        : backoffMs * (0.5 + this.#parts.jitterRandom.next() / 2)
    const delayMs = Math.min(askedMs, maxRetryDelayMs)
    if (performance.now() + delayMs > this.retryCutoffAt) return undefined
    return delayMs
  }

  #finish(flight: Flight, outcome: AttemptOutcome): void {
    const { prepared } = flight
    const errorClass = classifyOutcome(outcome, prepared.expectedStatuses)
    const finished: FinishedRequest = {
      latencyMs: outcome.endedAt - flight.intendedAt,
      uncorrectedLatencyMs:
        flight.firstSentAt === undefined ? undefined : outcome.endedAt - flight.firstSentAt,
      statusCode: outcome.statusCode,
      errorClass,
      firstAttemptErrorClass: flight.firstErrorClass,
      attempts: flight.attempts,
      errorLabel:
        outcome.statusCode >= 300 || outcome.statusCode === 0
          ? errorLabelOf(outcome.body)
          : undefined,
    }

    const parts = this.#parts
    parts.overall.record(finished)
    parts.endpointStats(prepared.endpoint).record(finished)
    parts.timeline.completed(
      outcome.endedAt,
      finished.latencyMs,
      errorClass === undefined,
      errorClass === 'timeout',
    )
    prepared.settle?.(outcome)
    this.#outstanding -= 1
    parts.onResponse?.({
      ...finished,
      kind: prepared.kind,
      endpoint: prepared.endpoint,
      intendedAt: flight.intendedAt,
      endedAt: outcome.endedAt,
    })
    flight.onDone?.()
  }
}
