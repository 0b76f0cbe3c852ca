import { Client } from 'undici'
import { OptionsError } from '../errors.js'
import { Attempt, type OutcomeCallback } from './attempt.js'

/** One HTTP request as the load tester sends it; `path` is relative to the base URL's path. */
export interface OutgoingRequest {
  readonly method: 'GET' | 'POST' | 'PUT'
  readonly path: string
  readonly body?: string
  readonly headers: Record<string, string>
}

/** What became of one attempt. `statusCode` is 0 when no response arrived. */
export interface AttemptOutcome {
  statusCode: number
  /** Seconds from a `Retry-After` header that holds a number of seconds, else undefined. */
  retryAfterSeconds: number | undefined
  /** The response body, kept when asked for and for every non-2xx answer (first 64 KiB). */
  body: string | undefined
  /** Set when no complete response arrived. */
  failure: 'connection' | 'timeout' | undefined
  error: Error | undefined
  /** performance.now() when undici handed the request to a socket; undefined if it never was. */
  sentAt: number | undefined
  /** performance.now() when the outcome was known. */
  endedAt: number
}

export interface HttpTargetOptions {
  /** Keep-alive connections to open at most. */
  connections: number
  /** From the moment a request is handed over until its response has fully arrived. */
  requestTimeoutMs: number
}

/**
 * The target API: up to `connections` keep-alive undici clients (one connection each) and a
 * deadline for every request.
 *
 * It keeps its own idle list and waiting queue rather than using undici's Pool: a request goes
 * to an idle connection in O(1) or waits here, first in first out, so the time spent waiting
 * for a connection is visible (the uncorrected latency starts when a request is written) and a
 * request that expires while waiting never reaches the target. It also costs less CPU per
 * request than the Pool, which scans its clients for a free one.
 *
 * Deadlines are enforced by one sweep timer over a first-in first-out list (every request has
 * the same timeout, so the oldest is always the next to expire): a timer per request would cost
 * more than the request at tens of thousands per second. The sweep runs every 25 ms at most, so
 * a timeout fires up to that much late.
 */
export class HttpTarget {
  readonly origin: string
  readonly basePath: string
  readonly #maxConnections: number
  readonly #clientOptions: Client.Options
  readonly #clients: Client[] = []
  readonly #idle: Client[] = []
  readonly #waiting: Attempt[] = []
  #waitingHead = 0
  readonly #timeoutMs: number
  readonly #inFlight: Attempt[] = []
  #head = 0
  #unsettled = 0
  /** While set, released connections go idle instead of to waiting requests. */
  #expiring = false
  #sweepTimer: NodeJS.Timeout | undefined

  constructor(baseUrl: string, options: HttpTargetOptions) {
    const url = parseBaseUrl(baseUrl)
    this.origin = url.origin
    this.basePath = url.pathname.replace(/\/+$/, '')
    this.#timeoutMs = options.requestTimeoutMs
    this.#maxConnections = options.connections
    this.#clientOptions = {
      pipelining: 1,
      headersTimeout: options.requestTimeoutMs,
      bodyTimeout: options.requestTimeoutMs,
      connect: { timeout: Math.min(options.requestTimeoutMs, 10_000) },
    }
  }

  /** Requests sent and not yet settled. */
  get inFlight(): number {
    return this.#unsettled
  }

  /** Called by an attempt as it settles: its connection goes to the next waiting request. */
  settled(attempt: Attempt): void {
    this.#unsettled -= 1
    const client = attempt.client
    if (!client) return
    attempt.client = undefined
    this.#release(client)
  }

  /** Sends one request; `callback` runs exactly once with what became of it. */
  send(request: OutgoingRequest, wantBody: boolean, callback: OutcomeCallback): void {
    const attempt = new Attempt(
      this,
      request,
      performance.now() + this.#timeoutMs,
      wantBody,
      callback,
    )
    this.#inFlight.push(attempt)
    this.#unsettled += 1
    this.#ensureSweep()

    let client = this.#idle.pop()
    if (!client && this.#clients.length < this.#maxConnections) {
      client = new Client(this.origin, this.#clientOptions)
      this.#clients.push(client)
    }
    if (client) this.#dispatch(client, attempt)
    else this.#waiting.push(attempt)
  }

  #dispatch(client: Client, attempt: Attempt): void {
    attempt.client = client
    const { request } = attempt
    try {
      client.dispatch(
        {
          path: this.basePath + request.path,
          method: request.method,
          headers: request.headers,
          body: request.body ?? null,
        },
        attempt,
      )
    } catch (error) {
      // Settle on a later turn: a caller that sends again from its callback must not recurse.
      const failure = error instanceof Error ? error : new Error(String(error))
      setImmediate(() => attempt.settle(undefined, 'connection', failure))
    }
  }

  /** Gives a connection to the oldest request still waiting, or back to the idle list. */
  #release(client: Client): void {
    if (!this.#expiring) {
      const waiting = this.#waiting
      while (this.#waitingHead < waiting.length) {
        const next = waiting[this.#waitingHead] as Attempt
        this.#waitingHead += 1
        if (!next.settled) {
          this.#compactWaiting()
          this.#dispatch(client, next)
          return
        }
      }
      waiting.length = 0
      this.#waitingHead = 0
    }
    this.#idle.push(client)
  }

  #compactWaiting(): void {
    if (this.#waitingHead > 1024 && this.#waitingHead * 2 > this.#waiting.length) {
      this.#waiting.splice(0, this.#waitingHead)
      this.#waitingHead = 0
    }
  }

  /** Ends every unsettled request as a timeout (used when the drain time is up). */
  expireAll(reason: string): number {
    let expired = 0
    this.#expiring = true
    for (let index = this.#head; index < this.#inFlight.length; index += 1) {
      const attempt = this.#inFlight[index]
      if (attempt && !attempt.settled) {
        attempt.expire(reason)
        expired += 1
      }
    }
    this.#expiring = false
    this.#inFlight.length = 0
    this.#head = 0
    this.#waiting.length = 0
    this.#waitingHead = 0
    return expired
  }

  /** Closes every connection at once; unsettled requests end as timeouts first. */
  async destroy(): Promise<void> {
    this.expireAll('the run ended before the response arrived')
    if (this.#sweepTimer) clearInterval(this.#sweepTimer)
    this.#sweepTimer = undefined
    this.#waiting.length = 0
    this.#waitingHead = 0
    this.#idle.length = 0
    await Promise.all(this.#clients.map((client) => client.destroy()))
  }

  #ensureSweep(): void {
    if (this.#sweepTimer) return
    const everyMs = Math.max(1, Math.min(25, Math.floor(this.#timeoutMs / 4)))
    this.#sweepTimer = setInterval(() => this.#sweep(), everyMs)
    this.#sweepTimer.unref()
  }

  #sweep(): void {
    const now = performance.now()
    const list = this.#inFlight
    while (this.#head < list.length) {
      const attempt = list[this.#head] as Attempt
      if (!attempt.settled && attempt.deadline > now) break
      if (!attempt.settled) attempt.expire(`no complete response within ${this.#timeoutMs} ms`)
      this.#head += 1
    }
    // Compact once the settled prefix dominates, so the list does not grow for the whole run.
    if (this.#head > 1024 && this.#head * 2 > list.length) {
      list.splice(0, this.#head)
      this.#head = 0
    }
    if (this.#head === list.length && this.#sweepTimer) {
      list.length = 0
      this.#head = 0
      clearInterval(this.#sweepTimer)
      this.#sweepTimer = undefined
    }
  }
}

/** The base URL of a target, checked: http or https, no query or fragment. */
export function parseBaseUrl(baseUrl: string): URL {
  let url: URL
  try {
    url = new URL(baseUrl)
  } catch (error) {
    throw new OptionsError(
      `target '${baseUrl}' is not a URL; give one like http://127.0.0.1:3000`,
      {
        cause: error,
      },
    )
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new OptionsError(`target '${baseUrl}' must use http: or https:, got ${url.protocol}`)
  }
  if (url.search || url.hash) {
    throw new OptionsError(`target '${baseUrl}' must not carry a query or fragment`)
  }
  return url
}
