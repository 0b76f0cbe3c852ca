import { createHash } from 'node:crypto'
import type { IdempotencyStamp } from '../store/idempotency.js'
import { BadRequestError } from './errors.js'
import { ID_RANDOM_CHARS } from './ids.js'
import type { ApiRequest, ApiResponse, IdPrefix } from './types.js'

/** Keys clients may send: UUIDs and the like. */
const KEY_PATTERN = /^[A-Za-z0-9._:-]{1,100}$/
const BASE32 = 'abcdefghijklmnopqrstuvwxyz234567'

/**
 * Reads the Idempotency-Key header of a create. The stamp binds the key to what was asked (the
 * route and the validated input), so a retry with the same key and request replays the first
 * answer, and the same key with another request is refused.
 */
export function idempotencyStamp(
  request: ApiRequest,
  routeId: string,
  input: unknown,
): IdempotencyStamp | undefined {
  const key = request.headers['idempotency-key']
  if (key === undefined) return undefined
  if (!KEY_PATTERN.test(key)) {
    throw new BadRequestError(
      'invalid_idempotency_key',
      'the Idempotency-Key header must be 1 to 100 characters from A-Z, a-z, 0-9 and . _ : -',
    )
  }
  const requestHash = sha256(
    JSON.stringify({ routeId, pathParameters: request.pathParameters, input }),
  )
  return { key, requestHash }
}

/**
 * The id a keyed create gives its new item: derived from the key, so a retry of the create aims
 * at the same item and DynamoDB's existence condition recognises the repeat.
 */
export function idFromKey(prefix: IdPrefix, routeId: string, stamp: IdempotencyStamp): string {
  const digest = createHash('sha256').update(`${routeId}\u0000${stamp.key}`).digest()
  let id = `${prefix}_`
  for (const byte of digest.subarray(0, ID_RANDOM_CHARS)) id += BASE32[byte & 31]
  return id
}

/** Marks a replayed answer, as the first request got it. */
export function created(body: unknown, replayed: boolean, location?: string): ApiResponse {
  return {
    statusCode: 201,
    headers: {
      ...(location ? { location } : {}),
      ...(replayed ? { 'idempotent-replayed': 'true' } : {}),
    },
    body,
  }
}

const sha256 = (text: string) => createHash('sha256').update(text).digest('hex')
