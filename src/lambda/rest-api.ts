import type { APIGatewayProxyEvent, APIGatewayProxyResult } from 'aws-lambda'
import type { ApiRequest, ApiResponse } from '../api/types.js'
import { identityFromClaims, withoutCredentials } from './identity.js'
import { decodeBody, definedValues, serializeResponse } from './payload.js'

/**
 * A REST API (payload format 1.0) event as the API's request. REST APIs name the matched path
 * template `resource`; the route key is built as HTTP APIs write it, so one route table serves
 * both. Repeated headers and query parameters are joined with commas, as payload 2.0 does. A
 * Cognito user pool authorizer (REST) or a JWT authorizer (HTTP API, payload 1.0) leaves the
 * verified claims in `requestContext.authorizer.claims`.
 */
export function fromRestApiEvent(
  event: APIGatewayProxyEvent,
  routeKey: string,
  scopePrefix = '',
): ApiRequest {
  const identity = identityFromClaims(event.requestContext.authorizer?.claims, scopePrefix)
  return {
    routeKey,
    method: event.httpMethod,
    path: event.path,
    pathParameters: definedValues(event.pathParameters),
    query: joined(event.multiValueQueryStringParameters, event.queryStringParameters),
    headers: withoutCredentials(lowerCaseNames(joined(event.multiValueHeaders, event.headers))),
    body: decodeBody(event.body, event.isBase64Encoded),
    requestId: event.requestContext.requestId,
    ...(identity ? { identity } : {}),
  }
}

export function toRestApiResult(response: ApiResponse): APIGatewayProxyResult {
  const { statusCode, headers, body } = serializeResponse(response)
  return { statusCode, headers, body, isBase64Encoded: false }
}

function joined(
  multi: Record<string, string[] | undefined> | null,
  single: Record<string, string | undefined> | null,
): Record<string, string> {
  const result = definedValues(single)
  for (const [name, values] of Object.entries(multi ?? {})) {
    if (values && values.length > 0) result[name] = values.join(',')
  }
  return result
}

function lowerCaseNames(record: Record<string, string>): Record<string, string> {
  // No prototype: a header or parameter named __proto__ must stay a plain entry.
  const result: Record<string, string> = Object.create(null)
  for (const [name, value] of Object.entries(record)) {
    const lower = name.toLowerCase()
    result[lower] = lower in result ? `${result[lower]},${value}` : value
  }
  return result
}
