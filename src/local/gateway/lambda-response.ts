import { validateHeaderName, validateHeaderValue } from 'node:http'

/** An HTTP response as the gateway writes it. */
export interface GatewayResponse {
  statusCode: number
  headers: Record<string, string | string[]>
  /** Text as the function gave it, or bytes when it sent base64 (text is written in one go). */
  body: string | Buffer
}

/** API Gateway's own error answers carry `{"message": …}`. */
export function gatewayError(statusCode: number, message: string): GatewayResponse {
  return jsonResponse(statusCode, { message })
}

export function jsonResponse(statusCode: number, value: unknown): GatewayResponse {
  return {
    statusCode,
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(value),
  }
}

/**
 * Turns what a function returned into the HTTP response, as an HTTP API does with payload 2.0;
 * a malformed result becomes the integration's failure, 500.
 */
export function fromLambdaResult(result: unknown): GatewayResponse {
  return httpApiResponse(result) ?? gatewayError(500, 'Internal Server Error')
}

/**
 * Payload 2.0 mapping, lenient as HTTP APIs are: a result with `statusCode` is used as given;
 * anything else is taken as a JSON body with status 200 (a string as the body itself).
 * Undefined means the result is malformed: a `statusCode` that is not an HTTP status, or a
 * `body` that is not a string.
 */
export function httpApiResponse(result: unknown): GatewayResponse | undefined {
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
  if (!isHttpStatus(status)) return undefined
  const body = structured.body ?? ''
  if (typeof body !== 'string') return undefined
  const headers = stringHeaders(structured.headers)
  if (Array.isArray(structured.cookies)) headers['set-cookie'] = structured.cookies.map(String)
  if (!writableHeaders(headers)) return undefined
  return {
    statusCode: status,
    headers,
    body: structured.isBase64Encoded === true ? Buffer.from(body, 'base64') : body,
  }
}

const REST_RESULT_KEYS = new Set([
  'statusCode',
  'headers',
  'multiValueHeaders',
  'body',
  'isBase64Encoded',
])

/**
 * Payload 1.0 mapping, strict as a REST API's Lambda proxy integration is: the result must be an
 * object of exactly `statusCode` (an HTTP status), optional `headers` (single values),
 * `multiValueHeaders` (arrays), `body` (a string) and `isBase64Encoded`. Anything else is a
 * malformed proxy response (undefined here; the API answers 502).
 */
export function restApiResponse(result: unknown): GatewayResponse | undefined {
  if (typeof result !== 'object' || result === null || Array.isArray(result)) return undefined
  const fields = result as Record<string, unknown>
  if (Object.keys(fields).some((key) => !REST_RESULT_KEYS.has(key))) return undefined
  const { statusCode, headers, multiValueHeaders, body, isBase64Encoded } = fields
  if (!isHttpStatus(statusCode)) return undefined
  if (body !== undefined && body !== null && typeof body !== 'string') return undefined
  if (isBase64Encoded !== undefined && typeof isBase64Encoded !== 'boolean') return undefined
  const single = scalarRecord(headers)
  const multiple = arrayRecord(multiValueHeaders)
  if (!single || !multiple) return undefined
  const merged: Record<string, string | string[]> = Object.create(null)
  for (const [name, values] of Object.entries(multiple)) merged[name.toLowerCase()] = values
  for (const [name, value] of Object.entries(single)) merged[name.toLowerCase()] = value
  if (!writableHeaders(merged)) return undefined
  return {
    statusCode,
    headers: merged,
    body: isBase64Encoded === true ? Buffer.from(body ?? '', 'base64') : (body ?? ''),
  }
}

/**
 * Whether every header can go on the wire: a name that is an HTTP token, a value without line
 * breaks or other control characters. A result that breaks this is malformed; writing it would
 * throw inside the gateway.
 */
function writableHeaders(headers: Record<string, string | string[]>): boolean {
  try {
    for (const name in headers) {
      validateHeaderName(name)
      const value = headers[name] ?? ''
      if (typeof value === 'string') validateHeaderValue(name, value)
      else for (const entry of value) validateHeaderValue(name, entry)
    }
    return true
  } catch {
    return false
  }
}

function isHttpStatus(value: unknown): value is number {
  return typeof value === 'number' && Number.isInteger(value) && value >= 100 && value <= 599
}

function scalarRecord(value: unknown): Record<string, string> | undefined {
  if (value === undefined || value === null) return {}
  if (typeof value !== 'object' || Array.isArray(value)) return undefined
  const result: Record<string, string> = {}
  for (const [name, entry] of Object.entries(value)) {
    if (entry === null || typeof entry === 'object') return undefined
    result[name] = String(entry)
  }
  return result
}

function arrayRecord(value: unknown): Record<string, string[]> | undefined {
  if (value === undefined || value === null) return {}
  if (typeof value !== 'object' || Array.isArray(value)) return undefined
  const result: Record<string, string[]> = {}
  for (const [name, entries] of Object.entries(value)) {
    if (
      !Array.isArray(entries) ||
      entries.some((entry) => entry === null || typeof entry === 'object')
    ) {
      return undefined
    }
    result[name] = entries.map(String)
  }
  return result
}

function textResponse(body: string): GatewayResponse {
  return {
    statusCode: 200,
    headers: { 'content-type': 'application/json' },
    body,
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
