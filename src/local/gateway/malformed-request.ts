import type { EdgeAnswer, MalformedRequest } from '../http-edge.js'
import { type ApiKind, refusalResponse } from './api-errors.js'
import { gatewayError } from './lambda-response.js'
import { newHttpApiRequestId, newRestRequestIds } from './request-id.js'

/**
 * API Gateway's answer to a request Node's parser refused (an unknown or lower-case method, a
 * control character in a header, headers past Node's limit, broken chunking, CONNECT): its own
 * `{"message"}` body and request id headers, as for the requests it refuses itself. Such a
 * request never reaches routing, so it does not appear in the gateway's request records.
 */
export function malformedRequestAnswer(api: ApiKind, problem: MalformedRequest): EdgeAnswer {
  const response =
    problem === 'headers-too-large'
      ? refusalResponse(api, 'headers-too-large')
      : problem === 'timeout'
        ? gatewayError(408, 'Request Timeout')
        : refusalResponse(api, 'bad-request')
  const ids: Record<string, string> =
    api === 'http'
      ? { 'apigw-requestid': newHttpApiRequestId() }
      : (({ requestId, extendedRequestId }) => ({
          'x-amzn-requestid': requestId,
          'x-amz-apigw-id': extendedRequestId,
        }))(newRestRequestIds())
  const headers: Record<string, string> = { ...ids }
  for (const [name, value] of Object.entries(response.headers)) headers[name] = String(value)
  return { statusCode: response.statusCode, headers, body: response.body.toString() }
}
