import type { APIGatewayProxyEvent } from 'aws-lambda'
import { type ApiIdentity, type GatewayRequest, LOCAL_API } from './http-api-event.js'
import type { RouteMatch } from './route-matcher.js'

/** The stage a local REST API is deployed to; REST APIs have no `$default` stage. */
export const REST_STAGE = 'local'

/** Content types a REST API passes as text when no binary media types are configured. */
const TEXT_CONTENT =
  /^(text\/|application\/(json|xml|javascript|x-www-form-urlencoded)|[^;]*\+(json|xml))/i

export interface RestRequestIds {
  /** x-amzn-RequestId: a UUID. */
  requestId: string
  /** x-amz-apigw-id. */
  extendedRequestId: string
}

/**
 * Builds the payload format 1.0 event a REST API's Lambda proxy integration sends: headers and
 * query parameters both single-valued (last value wins) and multi-valued, the matched template
 * as `resource`, `stageVariables` null when there are none.
 */
export function buildRestApiEvent(
  request: GatewayRequest,
  match: RouteMatch,
  ids: RestRequestIds,
  api: ApiIdentity = { ...LOCAL_API, stage: REST_STAGE },
  nowMs: number = Date.now(),
): APIGatewayProxyEvent {
  const queryStart = request.url.indexOf('?')
  const path = queryStart < 0 ? request.url : request.url.slice(0, queryStart)
  const rawQuery = queryStart < 0 ? '' : request.url.slice(queryStart + 1)
  const headers = pairs(request.rawHeaders)
  const query = queryPairs(rawQuery)
  const contentType = lastValue(headers, 'content-type')
  const text = request.body.length === 0 || TEXT_CONTENT.test(contentType ?? 'application/json')
  const resource = resourceOf(match)
  const pathParameters = Object.keys(match.pathParameters).length > 0 ? match.pathParameters : null
  return {
    resource,
    path,
    httpMethod: request.method,
    headers: single(headers),
    multiValueHeaders: multi(headers),
    queryStringParameters: query.length > 0 ? single(query) : null,
    multiValueQueryStringParameters: query.length > 0 ? multi(query) : null,
    pathParameters,
    stageVariables: null,
    requestContext: {
      accountId: api.accountId,
      apiId: api.apiId,
      authorizer: undefined,
      domainName: api.domainName,
      domainPrefix: api.domainName.split('.')[0] ?? api.domainName,
      extendedRequestId: ids.extendedRequestId,
      httpMethod: request.method,
      identity: identity(request, lastValue(headers, 'user-agent')),
      path: `/${api.stage}${path}`,
      protocol: 'HTTP/1.1',
      requestId: ids.requestId,
      requestTime: requestTime(nowMs),
      requestTimeEpoch: nowMs,
      resourceId: 'local',
      resourcePath: resource,
      stage: api.stage,
    },
    body: request.body.length > 0 ? request.body.toString(text ? 'utf8' : 'base64') : null,
    isBase64Encoded: !text,
  }
}

/** REST resources name the template; `$default` and `ANY` routes live on a proxy resource. */
function resourceOf(match: RouteMatch): string {
  if (match.routeKey === '$default') return '/{proxy+}'
  return match.routeKey.slice(match.routeKey.indexOf(' ') + 1)
}

function pairs(rawHeaders: readonly string[]): [string, string][] {
  const result: [string, string][] = []
  for (let index = 0; index + 1 < rawHeaders.length; index += 2) {
    result.push([rawHeaders[index] ?? '', rawHeaders[index + 1] ?? ''])
  }
  return result
}

function lastValue(entries: readonly [string, string][], name: string): string | undefined {
  const found = entries.filter(([key]) => key.toLowerCase() === name)
  return found[found.length - 1]?.[1]
}

function single(entries: readonly [string, string][]): Record<string, string> {
  const result: Record<string, string> = Object.create(null)
  for (const [name, value] of entries) result[name] = value
  return result
}

function multi(entries: readonly [string, string][]): Record<string, string[]> {
  const result: Record<string, string[]> = Object.create(null)
  for (const [name, value] of entries) result[name] = [...(result[name] ?? []), value]
  return result
}

function queryPairs(rawQuery: string): [string, string][] {
  if (rawQuery === '') return []
  return rawQuery
    .split('&')
    .filter((pair) => pair !== '')
    .map((pair) => {
      const equals = pair.indexOf('=')
      const name = equals < 0 ? pair : pair.slice(0, equals)
      return [decode(name), equals < 0 ? '' : decode(pair.slice(equals + 1))]
    })
}

function decode(part: string): string {
  try {
    return decodeURIComponent(part.replace(/\+/g, ' '))
  } catch {
    return part
  }
}

function identity(request: GatewayRequest, userAgent: string | undefined) {
  return {
    accessKey: null,
    accountId: null,
    apiKey: null,
    apiKeyId: null,
    caller: null,
    clientCert: null,
    cognitoAuthenticationProvider: null,
    cognitoAuthenticationType: null,
    cognitoIdentityId: null,
    cognitoIdentityPoolId: null,
    principalOrgId: null,
    sourceIp: request.sourceIp,
    user: null,
    userAgent: userAgent ?? null,
    userArn: null,
  }
}

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec']

/** REST's `requestTime`: `09/Apr/2015:12:34:56 +0000`. */
function requestTime(nowMs: number): string {
  const date = new Date(nowMs)
  const pad = (value: number) => String(value).padStart(2, '0')
  return `${pad(date.getUTCDate())}/${MONTHS[date.getUTCMonth()]}/${date.getUTCFullYear()}:${pad(date.getUTCHours())}:${pad(date.getUTCMinutes())}:${pad(date.getUTCSeconds())} +0000`
}
