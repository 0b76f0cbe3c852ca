import type { Client, Dispatcher } from 'undici'
import type { AttemptOutcome, OutgoingRequest } from './target.js'

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
export class Attempt implements Dispatcher.DispatchHandler {
  statusCode = 0
  retryAfterSeconds: number | undefined = undefined
  chunks: Buffer[] | undefined = undefined
  keptBytes = 0
  sentAt: number | undefined = undefined
  settled = false
  abort: ((error?: Error) => void) | undefined = undefined

  /** The connection it was handed to; undefined while it waits for one. */
  client: Client | undefined = undefined

  constructor(
    readonly owner: { settled(attempt: Attempt): void },
    readonly request: OutgoingRequest,
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
    // Settling hands the connection to the next waiting request. undici calls onError while it
    // empties the client's queue after a failed connect and then asserts the queue is empty, so
    // a request dispatched from here would crash the process: settle once undici is done.
    queueMicrotask(() => this.settle(undefined, failure, error))
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
    this.owner.settled(this)
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
