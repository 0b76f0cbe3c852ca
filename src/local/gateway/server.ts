import { createServer, type IncomingMessage, type ServerResponse } from 'node:http'
import type { RouteDefinition } from '../../api/routes.js'
import { answerMalformedRequests } from '../http-edge.js'
import type { InvokeResult } from '../lambda/service.js'
import { TokenBucket } from '../lambda/token-bucket.js'
import {
  type ConnectionCounts,
  closeServer,
  countConnections,
  LOOPBACK,
  listenOnLoopback,
} from '../net.js'
import {
  type ApiKind,
  type GatewayRefusal,
  type IntegrationFailure,
  integrationFailureResponse,
  refusalResponse,
  tooManyRequests,
} from './api-errors.js'
import {
  checkToken,
  type GatewayAuthorizer,
  protectedRoutes,
  type VerifiedToken,
  withJwtClaims,
  withRestClaims,
} from './authorization.js'
import { buildHttpApiEvent, type GatewayRequest } from './http-api-event.js'
import { type GatewayResponse, httpApiResponse, restApiResponse } from './lambda-response.js'
import { malformedRequestAnswer } from './malformed-request.js'
import { newHttpApiRequestId, newRestRequestIds } from './request-id.js'
import {
  MAX_REQUEST_LINE_AND_HEADER_BYTES,
  readBody,
  requestLineAndHeaderBytes,
  sourceIpOf,
} from './request-reading.js'
import { buildRestApiEvent } from './rest-api-event.js'
import { MalformedPathError, type RouteMatch, RouteMatcher } from './route-matcher.js'

/** Account-level throttle shared by all APIs of an account and Region: 10,000 rps, burst 5,000. */
export const DEFAULT_THROTTLE = { ratePerSecond: 10_000, burst: 5_000 }

/** Integration timeouts: HTTP APIs 30 s (not adjustable), REST APIs 29 s by default. */
export const INTEGRATION_TIMEOUT_MS: Record<ApiKind, number> = { http: 30_000, rest: 29_000 }

export type PayloadFormat = '2.0' | '1.0'

/** What the gateway needs from Lambda: a synchronous invoke with the event as JSON text. */
export interface LambdaInvoker {
  invoke(functionName: string, eventJson: string): Promise<InvokeResult>
}

/** One request as the gateway served it, for access logs and the timeline. */
export interface GatewayRequestRecord {
  requestId: string
  method: string
  path: string
  statusCode: number
  atEpochMs: number
  durationMs: number
  routeKey?: string
  functionName?: string
  /** Why the gateway answered on its own or failed the integration, when it did. */
  failure?: GatewayRefusal | IntegrationFailure
  /** Lambda's errorType or throttle reason behind an integration failure. */
  lambdaError?: string
}

export interface GatewayOptions {
  routes: readonly RouteDefinition[]
  /** The function that owns each route key. */
  functionOf: (routeKey: string) => string
  lambda: LambdaInvoker
  /** `http` (HTTP API, default) or `rest` (REST API, which only speaks payload 1.0). */
  api?: ApiKind
  /** HTTP APIs may use payload 1.0 or 2.0 (default); REST APIs always use 1.0. */
  payloadFormat?: PayloadFormat
  throttle?: { ratePerSecond: number; burst: number }
  /**
   * The JWT authorizer of the routes with scopes. Without one, those routes are served as a
   * deployment that lost its authorizer would serve them (the functions then refuse, 401).
   */
  authorizer?: GatewayAuthorizer
  integrationTimeoutMs?: number
  /** How a throttled invoke is answered (see GatewaySettings.throttledInvoke); 500 by default. */
  throttledInvoke?: 'server-error' | 'too-many-requests'
  port?: number
  onRequest?: (record: GatewayRequestRecord) => void
}

export interface Gateway {
  readonly url: string
  readonly api: ApiKind
  readonly payloadFormat: PayloadFormat
  /** Client connections: open now, and opened since the gateway started. */
  readonly connections: Readonly<ConnectionCounts>
  close(): Promise<void>
}

/** A configuration API Gateway would not accept. */
export class GatewayConfigError extends Error {
  override readonly name = 'GatewayConfigError'
}

interface Served {
  response: GatewayResponse
  record: Pick<GatewayRequestRecord, 'routeKey' | 'functionName' | 'failure' | 'lambdaError'>
}

interface Context {
  options: GatewayOptions
  api: ApiKind
  payloadFormat: PayloadFormat
  matcher: RouteMatcher
  /** Route key → the scopes its authorizer asks for; only routes with an authorizer. */
  protectedRoutes: Map<string, string[]>
  throttle: TokenBucket
  integrationTimeoutMs: number
}

/**
 * API Gateway on loopback: account throttling, request limits, routing by path template to the
 * function that owns the route, the JWT authorizer of protected routes (a refused request never
 * reaches a function), the event in the configured payload format, and the answer mapped back
 * as the API kind does, including its own answers when the integration fails.
 */
export async function startGateway(options: GatewayOptions): Promise<Gateway> {
  const api = options.api ?? 'http'
  const payloadFormat = api === 'rest' ? '1.0' : (options.payloadFormat ?? '2.0')
  if (api === 'rest' && options.payloadFormat === '2.0') {
    throw new GatewayConfigError('a REST API sends payload format 1.0 only; got 2.0')
  }
  const throttle = options.throttle ?? DEFAULT_THROTTLE
  const context: Context = {
    options,
    api,
    payloadFormat,
    matcher: new RouteMatcher(options.routes),
    protectedRoutes: options.authorizer
      ? protectedRoutes(options.routes, options.authorizer.scopePrefix)
      : new Map(),
    throttle: new TokenBucket(throttle.burst, throttle.ratePerSecond),
    integrationTimeoutMs: options.integrationTimeoutMs ?? INTEGRATION_TIMEOUT_MS[api],
  }
  // Node refuses headers over this itself (431, no body); up to it the gateway applies AWS's limit.
  const server = createServer({ maxHeaderSize: 64 * 1024 }, (request, response) => {
    // Whatever fails past the answer's own error handling ends this response, never the process.
    serve(context, request, response).catch(() => response.destroy())
  })
  answerMalformedRequests(server, (problem) => malformedRequestAnswer(api, problem))
  const connections = countConnections(server)
  const port = await listenOnLoopback(server, options.port ?? 0)
  return {
    url: `http://${LOOPBACK}:${port}`,
    api,
    payloadFormat,
    connections,
    close: () => closeServer(server),
  }
}

async function serve(
  context: Context,
  request: IncomingMessage,
  response: ServerResponse,
): Promise<void> {
  const startedMs = performance.now()
  const atEpochMs = Date.now()
  const ids =
    context.api === 'http'
      ? { requestId: newHttpApiRequestId(), extendedRequestId: '' }
      : newRestRequestIds()
  let served: Served
  try {
    served = await answer(context, request, ids, atEpochMs)
  } catch {
    // A failure of the gateway itself, not of the function: answer as API Gateway's 500 does.
    served = { response: integrationFailureResponse(context.api, 'invoke-rejected'), record: {} }
  }
  const headers: Record<string, string> =
    context.api === 'http'
      ? { 'apigw-requestid': ids.requestId }
      : { 'x-amzn-requestid': ids.requestId, 'x-amz-apigw-id': ids.extendedRequestId }
  write(response, served.response, headers)
  context.options.onRequest?.({
    requestId: ids.requestId,
    method: request.method ?? '',
    path: request.url ?? '',
    atEpochMs,
    durationMs: performance.now() - startedMs,
    ...served.record,
    statusCode: served.response.statusCode,
  })
}

async function answer(
  context: Context,
  request: IncomingMessage,
  ids: { requestId: string; extendedRequestId: string },
  atEpochMs: number,
): Promise<Served> {
  const { api } = context
  if (requestLineAndHeaderBytes(request) > MAX_REQUEST_LINE_AND_HEADER_BYTES) {
    return refused(api, 'headers-too-large')
  }
  if (!context.throttle.tryTake()) return refused(api, 'throttled')
  const body = await readBody(request)
  if (!body) return refused(api, 'payload-too-large')
  const url = request.url ?? '/'
  const method = request.method ?? 'GET'
  let match: RouteMatch | undefined
  try {
    match = context.matcher.match(method, url.split('?')[0] ?? '/')
  } catch (error) {
    if (error instanceof MalformedPathError) return refused(api, 'bad-request')
    throw error
  }
  if (!match) return refused(api, 'no-route')
  // Only protected routes wait for the authorizer; a public one goes on without a turn of the loop.
  const requiredScopes = context.protectedRoutes.get(match.routeKey)
  let token: VerifiedToken | undefined
  if (requiredScopes) {
    const checked = await checkToken(context.options.authorizer, requiredScopes, request.rawHeaders)
    if ('refusal' in checked) {
      return refused(api, checked.refusal, match.routeKey, checked.wwwAuthenticate)
    }
    token = checked.token
  }
  const functionName = context.options.functionOf(match.routeKey)
  const gatewayRequest: GatewayRequest = {
    method,
    url,
    rawHeaders: request.rawHeaders,
    body,
    sourceIp: sourceIpOf(request),
  }
  const event = buildEvent(context, gatewayRequest, match, ids, atEpochMs, token)
  const served = await integrate(context, functionName, JSON.stringify(event))
  return { ...served, record: { routeKey: match.routeKey, functionName, ...served.record } }
}

function refused(
  api: ApiKind,
  refusal: GatewayRefusal,
  routeKey?: string,
  wwwAuthenticate?: string,
): Served {
  return {
    response: refusalResponse(api, refusal, wwwAuthenticate),
    record: { failure: refusal, ...(routeKey === undefined ? {} : { routeKey }) },
  }
}

/** The event in the API's payload format, with the verified claims when a token was checked. */
function buildEvent(
  context: Context,
  request: GatewayRequest,
  match: RouteMatch,
  ids: { requestId: string; extendedRequestId: string },
  atEpochMs: number,
  token: VerifiedToken | undefined,
): object {
  if (context.payloadFormat === '2.0') {
    const event = buildHttpApiEvent(request, match, undefined, atEpochMs, ids.requestId)
    return token ? withJwtClaims(event, token) : event
  }
  const event = buildRestApiEvent(request, match, ids, undefined, atEpochMs)
  return token ? withRestClaims(event, token, context.api) : event
}

/** Invokes the function under the integration timeout and maps what came back. */
async function integrate(
  context: Context,
  functionName: string,
  eventJson: string,
): Promise<Served> {
  const { api } = context
  const result = await invokeWithin(context, functionName, eventJson)
  if (result === 'timeout') return failed(api, 'integration-timeout')
  switch (result.status) {
    case 'throttled':
      if (context.options.throttledInvoke === 'too-many-requests') {
        return {
          response: tooManyRequests(result.retryAfterSeconds),
          record: { failure: 'throttled', lambdaError: result.reason },
        }
      }
      return failed(api, 'throttled', result.reason)
    case 'rejected':
      return failed(api, 'invoke-rejected', result.errorType)
    case 'function-error':
      return failed(api, 'function-error', result.error.errorType)
    case 'success': {
      const mapped = mapResult(context.payloadFormat, result.payload)
      return mapped ? { response: mapped, record: {} } : failed(api, 'malformed-response')
    }
  }
}

/**
 * The invoke's result, or 'timeout' when the integration timeout passes first. The function runs
 * on after an integration timeout, as on AWS; only the client stops waiting. (A race by hand:
 * Promise.race and a promise for the timer cost more per request than the rest of this.)
 */
function invokeWithin(
  context: Context,
  functionName: string,
  eventJson: string,
): Promise<InvokeResult | 'timeout'> {
  return new Promise((resolve, reject) => {
    // Invoked before the timer is set, so an invoker that throws leaves no timer behind.
    const invoked = context.options.lambda.invoke(functionName, eventJson)
    const timer = setTimeout(resolve, context.integrationTimeoutMs, 'timeout')
    invoked.then(
      (result) => {
        clearTimeout(timer)
        resolve(result)
      },
      (error: unknown) => {
        clearTimeout(timer)
        reject(error)
      },
    )
  })
}

function failed(api: ApiKind, failure: IntegrationFailure, lambdaError?: string): Served {
  return {
    response: integrationFailureResponse(api, failure),
    record: { failure, ...(lambdaError === undefined ? {} : { lambdaError }) },
  }
}

function mapResult(payloadFormat: PayloadFormat, payload: string): GatewayResponse | undefined {
  let value: unknown
  try {
    value = JSON.parse(payload)
  } catch {
    return undefined
  }
  return payloadFormat === '2.0' ? httpApiResponse(value) : restApiResponse(value)
}

function write(
  response: ServerResponse,
  answer: GatewayResponse,
  extraHeaders: Record<string, string>,
): void {
  response.writeHead(answer.statusCode, {
    ...answer.headers,
    ...extraHeaders,
    'content-length':
      typeof answer.body === 'string' ? Buffer.byteLength(answer.body) : answer.body.length,
  })
  response.end(answer.body)
}
