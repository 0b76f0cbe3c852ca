import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2 } from 'aws-lambda'
import type { ApiRequest, ApiResponse } from '../api/types.js'
import { decodeBody, definedValues, serializeResponse } from './payload.js'

/** An HTTP API (payload format 2.0) event as the API's request. */
export function fromHttpApiEvent(event: APIGatewayProxyEventV2): ApiRequest {
  return {
    routeKey: event.routeKey,
    method: event.requestContext.http.method,
    path: event.rawPath,
    pathParameters: definedValues(event.pathParameters),
    query: definedValues(event.queryStringParameters),
    headers: definedValues(event.headers),
    body: decodeBody(event.body, event.isBase64Encoded),
    requestId: event.requestContext.requestId,
  }
}

export function toHttpApiResult(response: ApiResponse): APIGatewayProxyStructuredResultV2 {
  const { statusCode, headers, body } = serializeResponse(response)
  return { statusCode, headers, body, isBase64Encoded: false }
}
