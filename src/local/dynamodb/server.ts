import { randomBytes } from 'node:crypto'
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http'
import { setTimeout as sleep } from 'node:timers/promises'
import { crc32 } from 'node:zlib'
import type { WireFaultDecision, WireFaultKind } from '../faults/dynamodb.js'
import { answerMalformedRequests, type EdgeAnswer, type MalformedRequest } from '../http-edge.js'
import { closeServer, LOOPBACK, listenOnLoopback, readBodyUpTo } from '../net.js'
import {
  DynamoDbServiceError,
  internalServerError,
  missingAuthenticationError,
  requestHeadersTooLargeError,
  requestTimeoutError,
  requestTooLargeError,
  serializationError,
  serviceUnavailableError,
  unknownOperationError,
} from './errors.js'

/** The largest request body accepted, as DynamoDB's HTTP front end does (16 MB). */
export const MAX_REQUEST_BYTES = 16 * 1024 * 1024

const TARGET_PREFIX = 'DynamoDB_20120810.'
const JSON_CONTENT_TYPES = new Set(['application/x-amz-json-1.0', 'application/json'])

export interface RequestContext {
  requestId: string
}

/** What the server hands each well-formed request to: an operation name and its JSON body. */
export type OperationHandler = (
  operation: string,
  body: unknown,
  context: RequestContext,
) => Promise<Record<string, unknown>>

export interface DynamoDbServerOptions {
  handle: OperationHandler
  /** Operations the handler knows; any other X-Amz-Target is an UnknownOperationException. */
  operations: readonly string[]
  port?: number
  /** Called with errors the handler did not shape as DynamoDB errors (they answer 500). */
  onInternalError?: (error: unknown) => void
  /**
   * Extra GET endpoints by path (the local cloud's metrics), answered with JSON. DynamoDB serves
   * only POST /, so a path under /_aplus/ cannot collide with its protocol.
   */
  getRoutes?: Readonly<Record<string, (query: URLSearchParams) => unknown>>
  /** Faults to inject into well-formed requests (see src/local/faults). */
  faults?: WireFaults
}

/** What the server needs of fault injection: a decision per request, and a count of each fault. */
export interface WireFaults {
  applies(operation: string): boolean
  decide(): WireFaultDecision
  count(kind: WireFaultKind, addedLatencyMs?: number): void
}

/** Connections to the endpoint: the split-function story is partly about how many there are. */
export interface ConnectionCounts {
  open: number
  opened: number
}

export interface DynamoDbServer {
  /** `http://127.0.0.1:PORT`, for AWS_ENDPOINT_URL_DYNAMODB. */
  readonly url: string
  readonly port: number
  readonly connections: Readonly<ConnectionCounts>
  /** Requests the SDK marked as a retry (`amz-sdk-request: attempt=N`, N > 1), since start. */
  readonly sdkRetries: () => number
  close(): Promise<void>
}

/**
 * An HTTP server speaking DynamoDB's JSON 1.0 protocol: it checks what DynamoDB's front end checks
 * (method, content type, target, signature presence, body size, JSON), answers with DynamoDB's
 * headers (`x-amzn-RequestId`, `x-amz-crc32`) and error bodies, and leaves the operation to `handle`.
 */
export async function startDynamoDbServer(options: DynamoDbServerOptions): Promise<DynamoDbServer> {
  const operations = new Set(options.operations)
  const connections: ConnectionCounts = { open: 0, opened: 0 }
  let sdkRetries = 0
  const server = createServer((request, response) => {
    if (attemptOf(request) > 1) sdkRetries += 1
    void serve(request, response, options, operations)
  })
  answerMalformedRequests(server, malformedRequestAnswer)
  server.on('connection', (socket) => {
    connections.open += 1
    connections.opened += 1
    socket.once('close', () => {
      connections.open -= 1
    })
  })
  const port = await listenOnLoopback(server, options.port ?? 0)
  return {
    url: `http://${LOOPBACK}:${port}`,
    port,
    connections,
    sdkRetries: () => sdkRetries,
    close: () => closeServer(server),
  }
}

/**
 * Which attempt of one SDK call a request is: the AWS SDKs send `amz-sdk-request: attempt=N;
 * max=M` on every try, so retries (which the server cannot otherwise tell apart) can be counted.
 */
export function attemptOf(request: IncomingMessage): number {
  const header = request.headers['amz-sdk-request']
  const match = typeof header === 'string' ? /attempt=(\d+)/.exec(header) : null
  return match ? Number(match[1]) : 1
}

async function serve(
  request: IncomingMessage,
  response: ServerResponse,
  options: DynamoDbServerOptions,
  operations: ReadonlySet<string>,
): Promise<void> {
  const requestId = newRequestId()
  response.setHeader('x-amzn-RequestId', requestId)
  try {
    if (request.method === 'GET') {
      answerGet(request, response, options.getRoutes ?? {})
      return
    }
    const body = (await readBodyUpTo(request, MAX_REQUEST_BYTES))?.toString('utf8')
    if (body === undefined) throw requestTooLargeError()
    const operation = checkEnvelope(request, operations)
    const parsed = parseJson(body)
    const fault = options.faults?.applies(operation) ? options.faults.decide() : undefined
    if (fault && fault.delayMs > 0) {
      await sleep(fault.delayMs)
      options.faults?.count('latency', fault.delayMs)
    }
    if (fault?.failure && !fault.afterWork) {
      injectFailure(fault.failure, request, response, options.faults)
      return
    }
    const result = await options.handle(operation, parsed, { requestId })
    if (fault?.failure) {
      // The work is done (a write applied), and the client is told it failed.
      injectFailure(fault.failure, request, response, options.faults)
      return
    }
    send(response, 200, JSON.stringify(result))
  } catch (thrown) {
    const error = thrown instanceof DynamoDbServiceError ? thrown : internalServerError(thrown)
    if (!(thrown instanceof DynamoDbServiceError) || error.statusCode >= 500) {
      options.onInternalError?.(thrown)
    }
    send(response, error.statusCode, JSON.stringify(error.body))
  }
}

/** Answers with an injected fault: DynamoDB's 500 or 503, or a reset of the connection. */
function injectFailure(
  failure: NonNullable<WireFaultDecision['failure']>,
  request: IncomingMessage,
  response: ServerResponse,
  faults: WireFaults | undefined,
): void {
  faults?.count(failure)
  if (failure === 'connection-reset') {
    request.socket.resetAndDestroy()
    return
  }
  const error =
    failure === 'internal-error' ? internalServerError(undefined) : serviceUnavailableError()
  send(response, error.statusCode, JSON.stringify(error.body))
}

function answerGet(
  request: IncomingMessage,
  response: ServerResponse,
  routes: NonNullable<DynamoDbServerOptions['getRoutes']>,
): void {
  const url = new URL(request.url ?? '/', 'http://localhost')
  const route = Object.hasOwn(routes, url.pathname) ? routes[url.pathname] : undefined
  if (!route) {
    send(response, 200, 'healthy: dynamodb.local ')
    return
  }
  const body = JSON.stringify(route(url.searchParams))
  response.statusCode = 200
  response.setHeader('Content-Type', 'application/json')
  response.setHeader('Content-Length', Buffer.byteLength(body))
  response.end(body)
}

/** Checks what DynamoDB checks before it looks at the body; returns the operation name. */
function checkEnvelope(request: IncomingMessage, operations: ReadonlySet<string>): string {
  const contentType = (request.headers['content-type'] ?? '').split(';')[0]?.trim() ?? ''
  if (request.method !== 'POST' || !JSON_CONTENT_TYPES.has(contentType)) {
    throw unknownOperationError()
  }
  const target = String(request.headers['x-amz-target'] ?? '')
  const operation = target.startsWith(TARGET_PREFIX) ? target.slice(TARGET_PREFIX.length) : ''
  if (!operations.has(operation)) throw unknownOperationError()
  if (!String(request.headers.authorization ?? '').startsWith('AWS4-')) {
    throw missingAuthenticationError()
  }
  return operation
}

/** The body as a JSON object: every DynamoDB request is a structure at the top level. */
function parseJson(body: string): Record<string, unknown> {
  if (body === '') throw serializationError()
  let parsed: unknown
  try {
    parsed = JSON.parse(body)
  } catch {
    throw serializationError()
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
    const kind = parsed === null ? 'null' : Array.isArray(parsed) ? 'an array' : typeof parsed
    throw serializationError(`the request body must be a JSON object, got ${kind}`)
  }
  return parsed as Record<string, unknown>
}

/** What Node's parser refused (an unknown method, oversized headers) gets DynamoDB's envelope. */
function malformedRequestAnswer(problem: MalformedRequest): EdgeAnswer {
  const error =
    problem === 'bad-request' || problem === 'connect'
      ? unknownOperationError()
      : problem === 'headers-too-large'
        ? requestHeadersTooLargeError()
        : requestTimeoutError()
  const body = JSON.stringify(error.body)
  return {
    statusCode: error.statusCode,
    headers: {
      'x-amzn-RequestId': newRequestId(),
      'Content-Type': 'application/x-amz-json-1.0',
      'x-amz-crc32': String(crc32(body)),
    },
    body,
  }
}

function send(response: ServerResponse, statusCode: number, body: string): void {
  response.statusCode = statusCode
  response.setHeader('Content-Type', 'application/x-amz-json-1.0')
  response.setHeader('x-amz-crc32', crc32(body))
  response.setHeader('Content-Length', Buffer.byteLength(body))
  response.end(body)
}

/** A request id in DynamoDB's style: 52 upper-case letters and digits. */
function newRequestId(): string {
  return randomBytes(39).toString('base64').toUpperCase().replace(/[+/]/g, '0')
}
