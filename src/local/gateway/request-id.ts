import { randomBytes, randomUUID } from 'node:crypto'

/**
 * An HTTP API request id as AWS prints them in `apigw-requestid` and `requestContext.requestId`:
 * 16 characters of base64 ending in `=` (e.g. `JhTB3h2MoAMEVsw=`).
 */
export function newHttpApiRequestId(): string {
  return randomBytes(11).toString('base64')
}

/** A REST API request's ids: `x-amzn-RequestId` (a UUID) and `x-amz-apigw-id`. */
export function newRestRequestIds(): { requestId: string; extendedRequestId: string } {
  return { requestId: randomUUID(), extendedRequestId: newHttpApiRequestId() }
}
