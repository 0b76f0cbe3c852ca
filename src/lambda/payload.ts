import type { ApiResponse } from '../api/types.js'

/** The body as text, decoding base64 when API Gateway encoded it. */
export function decodeBody(
  body: string | null | undefined,
  isBase64Encoded: boolean,
): string | undefined {
  if (body === null || body === undefined) return undefined
  return isBase64Encoded ? Buffer.from(body, 'base64').toString('utf8') : body
}

/** The response with a JSON body and its content type, ready for either payload format. */
export function serializeResponse(response: ApiResponse): {
  statusCode: number
  headers: Record<string, string>
  body: string
} {
  const hasBody = response.body !== undefined
  return {
    statusCode: response.statusCode,
    headers: {
      ...(hasBody ? { 'content-type': 'application/json' } : {}),
      ...response.headers,
    },
    body: hasBody ? JSON.stringify(response.body) : '',
  }
}

/** A string map without the undefined (or null) entries API Gateway's types allow. */
export function definedValues(
  record: Record<string, string | undefined> | null | undefined,
): Record<string, string> {
  // No prototype: a header or parameter named __proto__ must stay a plain entry.
  const result: Record<string, string> = Object.create(null)
  for (const [name, value] of Object.entries(record ?? {})) {
    if (value !== undefined && value !== null) result[name] = value
  }
  return result
}
