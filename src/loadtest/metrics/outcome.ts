/**
 * Why a request failed. Every failed request has exactly one class:
 * - `connection_error`: no response (refused, reset, closed mid-response)
 * - `timeout`: no complete response within the request timeout, or still outstanding at the end
 * - `http_429`: Too Many Requests (API Gateway and Lambda throttling)
 * - `http_503_throttled`: 503 with a Retry-After header (the A+ API's own throttling answer)
 * - `http_5xx`: any other 5xx
 * - `http_4xx`: a 4xx the request kind did not expect
 * - `unexpected_status`: a 1xx/2xx/3xx the request kind did not expect
 */
export const ERROR_CLASSES = [
  'connection_error',
  'timeout',
  'http_4xx',
  'http_429',
  'http_5xx',
  'http_503_throttled',
  'unexpected_status',
] as const

export type ErrorClass = (typeof ERROR_CLASSES)[number]
export type ErrorClassCounts = Record<ErrorClass, number>

export function zeroErrorClassCounts(): ErrorClassCounts {
  return {
    connection_error: 0,
    timeout: 0,
    http_4xx: 0,
    http_429: 0,
    http_5xx: 0,
    http_503_throttled: 0,
    unexpected_status: 0,
  }
}

export interface ResponseFacts {
  statusCode: number
  retryAfterSeconds: number | undefined
  failure: 'connection' | 'timeout' | undefined
}

/** The error class of an outcome, or undefined when the request succeeded. */
export function classifyOutcome(
  facts: ResponseFacts,
  expectedStatuses: readonly number[],
): ErrorClass | undefined {
  if (facts.failure === 'connection') return 'connection_error'
  if (facts.failure === 'timeout') return 'timeout'
  const status = facts.statusCode
  if (expectedStatuses.includes(status)) return undefined
  if (status === 429) return 'http_429'
  if (status === 503 && facts.retryAfterSeconds !== undefined) return 'http_503_throttled'
  if (status >= 500) return 'http_5xx'
  if (status >= 400) return 'http_4xx'
  return 'unexpected_status'
}

/** Whether the load tester may retry this outcome (only when asked to, with `retries`). */
export function isRetryable(facts: ResponseFacts): boolean {
  return facts.failure === undefined && (facts.statusCode === 429 || facts.statusCode === 503)
}

const MAX_ERROR_KEY_LENGTH = 80

/**
 * A short label for an error body: the A+ API's `{"error":{"code"}}`, or API Gateway's and
 * Lambda's `{"message"}`, so a summary can say *which* 5xx it saw.
 */
export function errorLabelOf(body: string | undefined): string | undefined {
  if (!body) return undefined
  try {
    const parsed = JSON.parse(body) as { error?: { code?: unknown }; message?: unknown }
    if (typeof parsed.error?.code === 'string')
      return parsed.error.code.slice(0, MAX_ERROR_KEY_LENGTH)
    if (typeof parsed.message === 'string') {
      return `message: ${parsed.message.slice(0, MAX_ERROR_KEY_LENGTH)}`
    }
  } catch {
    return 'non-JSON body'
  }
  return undefined
}
