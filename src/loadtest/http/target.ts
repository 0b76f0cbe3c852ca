import { type Dispatcher, Pool } from 'undici'
import { OptionsError } from '../errors.js'

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

export type OutcomeCallback = (outcome: AttemptOutcome) => void

const MAX_KEPT_BODY_BYTES = 64 * 1024
const TIMEOUT_CODES = new Set([
  'UND_ERR_HEADERS_TIMEOUT',
  'UND_ERR_BODY_TIMEOUT',
  'UND_ERR_CONNECT_TIMEOUT',
])

/** Seconds from a Retry-After header given in seconds; HTTP dates are not used by the APIs here. */
function retryAfterOf(rawHeaders: Buffer[]): number | undefined {
  for (let index = 0; index < rawHeaders.length; index += 2) {
    const name = rawHeaders[index]
    if (name?.length === 11 && name.toString('latin1').toLowerCase() === 'retry-after') {
      const value = rawHeaders[index + 1]?.toString('latin1').trim() ?? ''
      return /^\d+$/.test(value) ? Number(value) : undefined
    }
  }
  return undefined
}

class RequestTimedOut extends Error {
  override readonly name = 'RequestTimedOut'
}

/**
 * One request in flight. It is its own undici handler (no per-request closures or streams), and
 * it settles exactly once: by the response, by an error, or by the deadline sweep, whichever
 * comes first; later callbacks for a settled attempt are ignored.
 */
class Attempt implements Dispatcher.DispatchHandler {
  statusCode = 0
  retryAfterSeconds: number | undefined = undefined
  chunks: Buffer[] | undefined = undefined
  keptBytes = 0
  sentAt: number | undefined = undefined
  settled = false
  abort: ((error?: Error) => void) | undefined = undefined

  constructor(
    readonly owner: { settledOne(): void },
    readonly deadline: number,
    readonly wantBody: boolean,
    readonly callback: OutcomeCallback,
  ) {}

  // The handler methods below are undici's original callback interface. Undici 7 marks them
  // deprecated in favour of controller-based ones, but those wrap every request in an adapter
  // that allocates a controller and parses every header into an object; at tens of thousands
  // of requests per second that cost shows (see bench/loadtest-vs-peers.ts).
  onConnect(abort: (error?: Error) => void): void {
    this.abort = abort
    if (this.settled) {
      abort(new RequestTimedOut('the request timed out before it reached a socket'))
      return
    }
    this.sentAt = performance.now()
  }

  onHeaders(statusCode: number, rawHeaders: Buffer[]): boolean {
    this.statusCode = statusCode
    if (statusCode === 429 || statusCode === 503) this.retryAfterSeconds = retryAfterOf(rawHeaders)
    if (this.wantBody || statusCode < 200 || statusCode >= 300) this.chunks = []
    return true
  }

  onData(chunk: Buffer): boolean {
    if (this.chunks && this.keptBytes < MAX_KEPT_BODY_BYTES) {
      this.chunks.push(chunk)
      this.keptBytes += chunk.length
    }
    return true
  }

  onComplete(): void {
    if (this.settled) return
    const body = this.chunks ? Buffer.concat(this.chunks).toString('utf8') : undefined
    this.settle(body, undefined, undefined)
  }

  onError(error: Error): void {
    if (this.settled) return
    const code = (error as { code?: string }).code
    const failure = code !== undefined && TIMEOUT_CODES.has(code) ? 'timeout' : 'connection'
    this.settle(undefined, failure, error)
  }

  /** Ends the attempt as a timeout now; the socket, if any, is aborted. */
  expire(reason: string): void {
    if (this.settled) return
    const error = new RequestTimedOut(reason)
    this.settle(undefined, 'timeout', error)
    this.abort?.(error)
  }

  settle(body: string | undefined, failure: AttemptOutcome['failure'], error: Error | undefined) {
    if (this.settled) return
    this.settled = true
    this.chunks = undefined
    this.owner.settledOne()
    this.callback({
      statusCode: failure ? 0 : this.statusCode,
      retryAfterSeconds: failure ? undefined : this.retryAfterSeconds,
      body,
      failure,
      error,
      sentAt: this.sentAt,
      endedAt: performance.now(),
    })
  }
}

export interface HttpTargetOptions {
  /** Keep-alive connections to open at most. */
  connections: number
  /** From the moment a request is handed to the pool until its response has fully arrived. */
  requestTimeoutMs: number
}

/**
 * The target API: one keep-alive undici pool to the base URL and a deadline for every request.
 * Deadlines are enforced by one sweep timer over a first-in first-out list (every request has
 * the same timeout, so the oldest is always the next to expire): a timer per request would cost
 * more than the request at tens of thousands per second. The sweep runs every 25 ms at most, so
 * a timeout fires up to that much late.
 */
export class HttpTarget {
  readonly origin: string
  readonly basePath: string
  readonly #pool: Pool
  readonly #timeoutMs: number
  readonly #inFlight: Attempt[] = []
  #head = 0
  #unsettled = 0
  #sweepTimer: NodeJS.Timeout | undefined

  constructor(baseUrl: string, options: HttpTargetOptions) {
    const url = parseBaseUrl(baseUrl)
    this.origin = url.origin
    this.basePath = url.pathname.replace(/\/+$/, '')
    this.#timeoutMs = options.requestTimeoutMs
    this.#pool = new Pool(url.origin, {
      connections: options.connections,
      pipelining: 1,
      headersTimeout: options.requestTimeoutMs,
      bodyTimeout: options.requestTimeoutMs,
      connect: { timeout: Math.min(options.requestTimeoutMs, 10_000) },
    })
  }

  /** Requests sent and not yet settled. */
  get inFlight(): number {
    return this.#unsettled
  }

  /** Called by an attempt as it settles. */
  settledOne(): void {
    this.#unsettled -= 1
  }

  /** Sends one request; `callback` runs exactly once with what became of it. */
  send(request: OutgoingRequest, wantBody: boolean, callback: OutcomeCallback): void {
    const attempt = new Attempt(this, performance.now() + this.#timeoutMs, wantBody, callback)
    this.#inFlight.push(attempt)
    this.#unsettled += 1
    this.#ensureSweep()
    try {
      this.#pool.dispatch(
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

  /** Ends every unsettled request as a timeout (used when the drain time is up). */
  expireAll(reason: string): number {
    let expired = 0
    for (let index = this.#head; index < this.#inFlight.length; index += 1) {
      const attempt = this.#inFlight[index]
      if (attempt && !attempt.settled) {
        attempt.expire(reason)
        expired += 1
      }
    }
    this.#inFlight.length = 0
    this.#head = 0
    return expired
  }

  /** Closes every connection at once; unsettled requests end as timeouts first. */
  async destroy(): Promise<void> {
    this.expireAll('the run ended before the response arrived')
    if (this.#sweepTimer) clearInterval(this.#sweepTimer)
    this.#sweepTimer = undefined
    await this.#pool.destroy()
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

function parseBaseUrl(baseUrl: string): URL {
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
