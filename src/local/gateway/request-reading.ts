import type { IncomingMessage } from 'node:http'
import { readBodyUpTo } from '../net.js'

/** Payload limit of both API kinds (10 MB): a larger body never reaches a function. */
export const MAX_PAYLOAD_BYTES = 10 * 1024 * 1024

/** HTTP API quota for the request line plus headers. */
export const MAX_REQUEST_LINE_AND_HEADER_BYTES = 10_240

const sourceIps = new WeakMap<object, string>()

/** The client's address, looked up once per connection (each lookup is a system call). */
export function sourceIpOf(request: IncomingMessage): string {
  let address = sourceIps.get(request.socket)
  if (address === undefined) {
    address = request.socket.remoteAddress ?? ''
    sourceIps.set(request.socket, address)
  }
  return address
}

/** Bytes of `METHOD URL HTTP/1.1\r\n` plus every `Name: value\r\n`, as sent. */
export function requestLineAndHeaderBytes(request: IncomingMessage): number {
  let bytes = (request.method ?? '').length + (request.url ?? '').length + 12
  const raw = request.rawHeaders
  for (let index = 0; index + 1 < raw.length; index += 2) {
    bytes += (raw[index] ?? '').length + (raw[index + 1] ?? '').length + 4
  }
  return bytes
}

/** The body, or undefined past API Gateway's payload limit. */
export const readBody = (request: IncomingMessage) => readBodyUpTo(request, MAX_PAYLOAD_BYTES)
