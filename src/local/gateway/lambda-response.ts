/** An HTTP response as the gateway writes it. */
export interface GatewayResponse {
  statusCode: number
  headers: Record<string, string | string[]>
  body: Buffer
}

/** API Gateway's own error answers carry `{"message": …}`. */
export function gatewayError(statusCode: number, message: string): GatewayResponse {
  return jsonResponse(statusCode, { message })
}

export function jsonResponse(statusCode: number, value: unknown): GatewayResponse {
  return {
    statusCode,
    headers: { 'content-type': 'application/json' },
    body: Buffer.from(JSON.stringify(value)),
  }
}

/**
 * Turns what a function returned into the HTTP response, as an HTTP API does with payload 2.0:
 * a result with `statusCode` is used as given (a malformed one is the integration's failure,
 * 500); anything else is taken as a JSON body with status 200.
 */
export function fromLambdaResult(result: unknown): GatewayResponse {
  if (typeof result === 'string') return textResponse(result)
  if (typeof result !== 'object' || result === null || !('statusCode' in result)) {
    return jsonResponse(200, result ?? null)
  }
  const structured = result as {
    statusCode: unknown
    headers?: unknown
    cookies?: unknown
    body?: unknown
    isBase64Encoded?: unknown
  }
  const status = structured.statusCode
  if (typeof status !== 'number' || !Number.isInteger(status) || status < 100 || status > 599) {
    return gatewayError(500, 'Internal Server Error')
  }
  const headers = stringHeaders(structured.headers)
  if (Array.isArray(structured.cookies)) headers['set-cookie'] = structured.cookies.map(String)
  const body =
    structured.body === undefined || structured.body === null ? '' : String(structured.body)
  return {
    statusCode: status,
    headers,
    body: Buffer.from(body, structured.isBase64Encoded === true ? 'base64' : 'utf8'),
  }
}

function textResponse(body: string): GatewayResponse {
  return {
    statusCode: 200,
    headers: { 'content-type': 'application/json' },
    body: Buffer.from(body),
  }
}

function stringHeaders(headers: unknown): Record<string, string | string[]> {
  const result: Record<string, string | string[]> = Object.create(null)
  if (typeof headers !== 'object' || headers === null) return result
  for (const [name, value] of Object.entries(headers)) {
    if (value !== undefined && value !== null) result[name.toLowerCase()] = String(value)
  }
  return result
}
