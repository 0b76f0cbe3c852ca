import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http'
import type { AddressInfo } from 'node:net'

/** Purpose-built loopback servers with one behaviour each, for the load tester's tests. */
export interface TestServer {
  url: string
  server: Server
  /** performance.now() at which each non-health request arrived. */
  arrivals: number[]
  /** Headers of each non-health request, in arrival order. */
  requestHeaders: IncomingMessage['headers'][]
  close(): Promise<void>
}

type Behaviour = (request: IncomingMessage, response: ServerResponse, index: number) => void

async function serve(behaviour: Behaviour): Promise<TestServer> {
  const arrivals: number[] = []
  const requestHeaders: IncomingMessage['headers'][] = []
  const server = createServer((request, response) => {
    request.resume()
    request.on('end', () => {
      if (request.url === '/health') {
        response.writeHead(200, { 'content-type': 'application/json' })
        response.end('{"status":"ok"}')
        return
      }
      arrivals.push(performance.now())
      requestHeaders.push(request.headers)
      behaviour(request, response, arrivals.length - 1)
    })
  })
  server.keepAliveTimeout = 30_000
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const { port } = server.address() as AddressInfo
  return {
    url: `http://127.0.0.1:${port}`,
    server,
    arrivals,
    requestHeaders,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections()
        server.close(() => resolve())
      }),
  }
}

function ok(response: ServerResponse, status = 200): void {
  if (response.destroyed) return
  response.writeHead(status, { 'content-type': 'application/json' })
  response.end('{"status":"ok"}')
}

/**
 * Answers every request after `delayMs(index)`; optionally stops answering entirely from
 * `stallAtMs` after the first request for `stallForMs` (every request pending or arriving in
 * that window is held until it ends), like a process paused by a long garbage collection.
 */
export function startDelayServer(options: {
  delayMs: (index: number) => number
  stall?: { atMs: number; forMs: number }
}): Promise<TestServer> {
  let firstArrival: number | undefined
  return serve((_request, response, index) => {
    const now = performance.now()
    firstArrival ??= now
    let waitMs = options.delayMs(index)
    const stall = options.stall
    if (stall) {
      const stallStart = firstArrival + stall.atMs
      const stallEnd = stallStart + stall.forMs
      const answerAt = now + waitMs
      if (answerAt >= stallStart && now < stallEnd) waitMs = Math.max(waitMs, stallEnd - now)
    }
    setTimeout(ok, waitMs, response)
  })
}

/** Answers the health check, then never answers anything. */
export function startStallServer(): Promise<TestServer> {
  return serve(() => {})
}

/** Answers the health check, then closes the connection on every request. */
export function startClosingServer(): Promise<TestServer> {
  return serve((request) => request.socket.destroy())
}

/**
 * Throttles: the first `throttledAttempts` requests of each Idempotency-Key (or every request
 * without one) get 503 with Retry-After: 0, or 429 when `status` says so; later ones get 201.
 */
export function startThrottleServer(options: {
  throttledAttempts: number
  status?: 429 | 503
}): Promise<TestServer> {
  const seen = new Map<string, number>()
  return serve((request, response) => {
    const key = String(request.headers['idempotency-key'] ?? request.url)
    const count = (seen.get(key) ?? 0) + 1
    seen.set(key, count)
    if (count <= options.throttledAttempts) {
      const status = options.status ?? 503
      response.writeHead(status, { 'content-type': 'application/json', 'retry-after': '0' })
      response.end(JSON.stringify({ message: 'Rate exceeded' }))
      return
    }
    ok(response, 201)
  })
}
