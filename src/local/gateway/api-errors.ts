import { type GatewayResponse, gatewayError } from './lambda-response.js'

/** Which API Gateway product is emulated; they answer integration failures differently. */
export type ApiKind = 'http' | 'rest'

/** Ways the Lambda integration can fail, as API Gateway tells them apart. */
export type IntegrationFailure =
  /** The function ran and failed: it threw, timed out, crashed, or failed to initialize. */
  | 'function-error'
  /** The function answered something the payload format does not allow. */
  | 'malformed-response'
  /** Lambda refused the invoke with 429 TooManyRequestsException. */
  | 'throttled'
  /** Lambda refused the invoke otherwise (the event is over 6 MB, say). */
  | 'invoke-rejected'
  /** No answer within the integration timeout (30 s HTTP API, 29 s REST API). */
  | 'integration-timeout'

/**
 * What the client sees for each failure. REST APIs: 502 for a function error or a malformed
 * proxy response, 500 when Lambda rejects the invoke (throttling included), 504 for the
 * integration timeout. HTTP APIs: 500 `Internal Server Error` for every failure to get a valid
 * answer from the function and 503 for the integration timeout. How an HTTP API answers a
 * throttled invoke is not documented; it is answered here like its other invoke failures, 500.
 */
export function integrationFailureResponse(
  api: ApiKind,
  failure: IntegrationFailure,
): GatewayResponse {
  if (api === 'http') {
    return failure === 'integration-timeout'
      ? gatewayError(503, 'Service Unavailable')
      : gatewayError(500, 'Internal Server Error')
  }
  switch (failure) {
    case 'function-error':
    case 'malformed-response':
      return gatewayError(502, 'Internal server error')
    case 'throttled':
    case 'invoke-rejected':
      return gatewayError(500, 'Internal server error')
    case 'integration-timeout':
      return gatewayError(504, 'Endpoint request timed out')
  }
}

/** A throttled invoke answered as a retryable refusal: 429 with Lambda's Retry-After hint. */
export function tooManyRequests(retryAfterSeconds: number): GatewayResponse {
  const response = gatewayError(429, 'Too Many Requests')
  return { ...response, headers: { ...response.headers, 'retry-after': String(retryAfterSeconds) } }
}

/** Answers the gateway gives before any integration runs. */
export type GatewayRefusal =
  | 'throttled'
  | 'no-route'
  | 'payload-too-large'
  | 'headers-too-large'
  | 'bad-request'
  /** The route's authorizer found no valid token: missing, malformed, expired, forged… */
  | 'unauthorized'
  /** The token is valid but holds none of the route's scopes. */
  | 'forbidden'

/**
 * REST APIs answer a path with no resource 403 `Missing Authentication Token`; HTTP APIs 404.
 * How either answers request headers over the 10,240-byte quota is not documented; 431 (the
 * HTTP status for exactly that) is used. An HTTP API's JWT authorizer answers 401
 * `Unauthorized` or 403 `Forbidden` with a `www-authenticate` header saying why; a REST API's
 * Cognito authorizer answers 401 without that header, and 403 for a missing scope (how REST
 * words that refusal is not documented; its generic 403 body is used).
 */
export function refusalResponse(
  api: ApiKind,
  refusal: GatewayRefusal,
  wwwAuthenticate?: string,
): GatewayResponse {
  switch (refusal) {
    case 'unauthorized':
    case 'forbidden': {
      const response =
        refusal === 'unauthorized'
          ? gatewayError(401, 'Unauthorized')
          : gatewayError(403, 'Forbidden')
      if (api === 'http' && wwwAuthenticate) response.headers['www-authenticate'] = wwwAuthenticate
      return response
    }
    case 'throttled':
      return gatewayError(429, 'Too Many Requests')
    case 'no-route':
      return api === 'rest'
        ? gatewayError(403, 'Missing Authentication Token')
        : gatewayError(404, 'Not Found')
    case 'payload-too-large':
      return gatewayError(413, 'Request Entity Too Large')
    case 'headers-too-large':
      return gatewayError(431, 'Request Header Fields Too Large')
    case 'bad-request':
      return gatewayError(400, 'Bad Request')
  }
}
