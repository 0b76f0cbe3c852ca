import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2 } from 'aws-lambda'
import type { ApiRequest, ApiResponse } from '../api/types.js'
import { identityFromClaims, withoutCredentials } from './identity.js'
import { decodeBody, definedValues, serializeResponse } from './payload.js'

/** What a JWT authorizer adds to a payload 2.0 request context. */
interface JwtAuthorizerContext {
  authorizer?: { jwt?: { claims?: unknown } }
}

/** An HTTP API (payload format 2.0) event as the API's request. */
export function fromHttpApiEvent(event: APIGatewayProxyEventV2, scopePrefix = ''): ApiRequest {
  const context = event.requestContext as APIGatewayProxyEventV2['requestContext'] &
    JwtAuthorizerContext
  const identity = identityFromClaims(context.authorizer?.jwt?.claims, scopePrefix)
  return {
    routeKey: event.routeKey,
    method: event.requestContext.http.method,
    path: event.rawPath,
    pathParameters: definedValues(event.pathParameters),
    query: definedValues(event.queryStringParameters),
    headers: withoutCredentials(definedValues(event.headers)),
    body: decodeBody(event.body, event.isBase64Encoded),
    requestId: event.requestContext.requestId,
    ...(identity ? { identity } : {}),
  }
}

export function toHttpApiResult(response: ApiResponse): APIGatewayProxyStructuredResultV2 {
  const { statusCode, headers, body } = serializeResponse(response)
  return { statusCode, headers, body, isBase64Encoded: false }
}
