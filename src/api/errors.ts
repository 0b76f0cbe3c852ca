import { InvalidCursorError } from '../store/cursor.js'
import {
  IdempotencyMismatchError,
  ItemConflictError,
  ItemNotFoundError,
  StoreThrottledError,
} from '../store/errors.js'
import { describeError, type Logger } from './logger.js'
import type { ApiRequest, ApiResponse } from './types.js'

/** One problem with a field of the request, for clients that show errors next to inputs. */
export interface FieldProblem {
  field: string
  problem: string
}

/** An error the API answers on purpose: its status, a stable code and a message for people. */
export class ApiError extends Error {
  override name = 'ApiError'

  constructor(
    readonly statusCode: number,
    readonly code: string,
    message: string,
    readonly options: { headers?: Record<string, string>; fields?: FieldProblem[] } = {},
  ) {
    super(message)
  }
}

export class BadRequestError extends ApiError {
  override name = 'BadRequestError'

  constructor(code: string, message: string, fields?: FieldProblem[]) {
    super(400, code, message, fields ? { fields } : {})
  }
}

export class NotFoundError extends ApiError {
  override name = 'NotFoundError'

  constructor(code: string, message: string) {
    super(404, code, message)
  }
}

export class ConflictError extends ApiError {
  override name = 'ConflictError'

  constructor(code: string, message: string) {
    super(409, code, message)
  }
}

export class PayloadTooLargeError extends ApiError {
  override name = 'PayloadTooLargeError'

  constructor(limitBytes: number) {
    super(413, 'payload_too_large', `the request body must be at most ${limitBytes} bytes`)
  }
}

export class UnsupportedMediaTypeError extends ApiError {
  override name = 'UnsupportedMediaTypeError'

  constructor(contentType: string) {
    super(415, 'unsupported_media_type', `the body must be application/json, got '${contentType}'`)
  }
}

export class ServiceUnavailableError extends ApiError {
  override name = 'ServiceUnavailableError'

  constructor(retryAfterSeconds: number) {
    super(503, 'throttled', `the database is at its capacity; retry after ${retryAfterSeconds} s`, {
      headers: { 'retry-after': String(retryAfterSeconds) },
    })
  }
}

/** The API's answer to anything a handler threw. Only 4xx details reach the client. */
export function errorResponse(error: unknown, request: ApiRequest, log: Logger): ApiResponse {
  const known = asApiError(error)
  if (known) {
    const { headers, fields } = known.options
    return {
      statusCode: known.statusCode,
      ...(headers ? { headers } : {}),
      body: { error: { code: known.code, message: known.message, ...(fields ? { fields } : {}) } },
    }
  }
  log.error('unhandled error', {
    routeKey: request.routeKey,
    requestId: request.requestId,
    ...describeError(error),
  })
  return {
    statusCode: 500,
    body: {
      error: { code: 'internal_error', message: 'internal error; the request id is in the logs' },
    },
  }
}

function asApiError(error: unknown): ApiError | undefined {
  if (error instanceof ApiError) return error
  if (error instanceof StoreThrottledError) {
    return new ServiceUnavailableError(error.retryAfterSeconds)
  }
  if (error instanceof ItemNotFoundError) {
    return new NotFoundError(
      error.entity === 'enrollment' ? 'not_enrolled' : `${error.entity}_not_found`,
      error.message,
    )
  }
  if (error instanceof ItemConflictError) return new ConflictError(error.reason, error.message)
  if (error instanceof InvalidCursorError) {
    return new BadRequestError('invalid_cursor', error.message)
  }
  if (error instanceof IdempotencyMismatchError) {
    return new ApiError(422, 'idempotency_key_reused', error.message)
  }
  return undefined
}
