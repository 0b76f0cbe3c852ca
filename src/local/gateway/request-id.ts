import { randomBytes, randomUUID } from 'node:crypto'

/** Random bytes drawn in batches: a synchronous randomBytes call per request costs microseconds. */
const POOL_BYTES = 11 * 1024
let pool = Buffer.alloc(0)
let offset = POOL_BYTES

function take(bytes: number): Buffer {
  if (offset + bytes > pool.length) {
    pool = randomBytes(POOL_BYTES)
    offset = 0
  }
  offset += bytes
  return pool.subarray(offset - bytes, offset)
}

/**
 * An HTTP API request id as AWS prints them in `apigw-requestid` and `requestContext.requestId`:
 * 16 characters of base64 ending in `=` (e.g. `JhTB3h2MoAMEVsw=`).
 */
export function newHttpApiRequestId(): string {
  return take(11).toString('base64')
}

/** A REST API request's ids: `x-amzn-RequestId` (a UUID) and `x-amz-apigw-id`. */
export function newRestRequestIds(): { requestId: string; extendedRequestId: string } {
  return { requestId: randomUUID(), extendedRequestId: newHttpApiRequestId() }
}
