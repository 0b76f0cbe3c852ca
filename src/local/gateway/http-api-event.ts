import type { APIGatewayProxyEventV2 } from 'aws-lambda'
import { newHttpApiRequestId } from './request-id.js'
import type { RouteMatch } from './route-matcher.js'

/** A request as it reached the gateway, before any routing. */
export interface GatewayRequest {
  method: string
  /** Path and query as sent, e.g. `/courses?limit=5`. */
  url: string
  /** Raw header pairs in arrival order: [name, value, name, value, …]. */
  rawHeaders: readonly string[]
  body: Buffer
  sourceIp: string
}

export interface ApiIdentity {
  apiId: string
  accountId: string
  stage: string
  domainName: string
}

/** Fixed ids for the local API: there is one API per local cloud. */
export const LOCAL_API: ApiIdentity = {
  apiId: 'local',
  accountId: '000000000000',
  stage: '$default',
  domainName: 'localhost',
}

/** Content types API Gateway passes as text; every other body arrives base64-encoded. */
const TEXT_CONTENT =
  /^(text\/|application\/(json|xml|javascript|x-www-form-urlencoded)|[^;]*\+(json|xml))/i

/** Builds the payload format 2.0 event an HTTP API hands a Lambda integration. */
export function buildHttpApiEvent(
  request: GatewayRequest,
  match: RouteMatch,
  api: ApiIdentity = LOCAL_API,
  nowMs: number = Date.now(),
  requestId: string = newHttpApiRequestId(),
): APIGatewayProxyEventV2 {
  const queryStart = request.url.indexOf('?')
  const rawPath = queryStart < 0 ? request.url : request.url.slice(0, queryStart)
  const rawQueryString = queryStart < 0 ? '' : request.url.slice(queryStart + 1)
  const headers = joinHeaders(request.rawHeaders)
  const cookies = headers.cookie?.split(';').map((cookie) => cookie.trim())
  delete headers.cookie
  const query = parseQuery(rawQueryString)
  const text =
    request.body.length === 0 || TEXT_CONTENT.test(headers['content-type'] ?? 'application/json')
  // Built field by field in the order AWS sends them, leaving out the optional ones that are
  // empty (no intermediate objects: this runs for every request).
  const event: APIGatewayProxyEventV2 = {
    version: '2.0',
    routeKey: match.routeKey,
    rawPath,
    rawQueryString,
  } as APIGatewayProxyEventV2
  if (cookies) event.cookies = cookies
  event.headers = headers
  if (hasAny(query)) event.queryStringParameters = query
  event.requestContext = {
    accountId: api.accountId,
    apiId: api.apiId,
    domainName: api.domainName,
    domainPrefix: domainPrefixOf(api.domainName),
    http: {
      method: request.method,
      path: rawPath,
      protocol: 'HTTP/1.1',
      sourceIp: request.sourceIp,
      userAgent: headers['user-agent'] ?? '',
    },
    requestId,
    routeKey: match.routeKey,
    stage: api.stage,
    time: new Date(nowMs).toISOString(),
    timeEpoch: nowMs,
  }
  if (hasAny(match.pathParameters)) event.pathParameters = match.pathParameters
  if (request.body.length > 0) event.body = request.body.toString(text ? 'utf8' : 'base64')
  event.isBase64Encoded = !text
  return event
}

/** The first label of the domain name, e.g. `api` for `api.example.com`. */
function domainPrefixOf(domainName: string): string {
  const dot = domainName.indexOf('.')
  return dot < 0 ? domainName : domainName.slice(0, dot)
}

function hasAny(record: Record<string, string>): boolean {
  for (const _ in record) return true
  return false
}

/** Header names in lower case, repeated headers joined with commas, as payload 2.0 has them. */
function joinHeaders(rawHeaders: readonly string[]): Record<string, string> {
  const headers: Record<string, string> = Object.create(null)
  for (let index = 0; index + 1 < rawHeaders.length; index += 2) {
    const name = (rawHeaders[index] ?? '').toLowerCase()
    const value = rawHeaders[index + 1] ?? ''
    headers[name] = name in headers ? `${headers[name]},${value}` : value
  }
  return headers
}

/** Query parameters decoded, repeated ones joined with commas; undecodable ones kept raw. */
function parseQuery(rawQueryString: string): Record<string, string> {
  const query: Record<string, string> = Object.create(null)
  if (rawQueryString === '') return query
  for (const pair of rawQueryString.split('&')) {
    if (pair === '') continue
    const equals = pair.indexOf('=')
    const name = decodeQueryPart(equals < 0 ? pair : pair.slice(0, equals))
    const value = equals < 0 ? '' : decodeQueryPart(pair.slice(equals + 1))
    query[name] = name in query ? `${query[name]},${value}` : value
  }
  return query
}

function decodeQueryPart(part: string): string {
  try {
    return decodeURIComponent(part.replace(/\+/g, ' '))
  } catch {
    return part
  }
}
