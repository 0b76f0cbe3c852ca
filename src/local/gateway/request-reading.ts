import type { IncomingMessage } from 'node:http'

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

const EMPTY_BODY = Buffer.alloc(0)

export function readBody(request: IncomingMessage): Promise<Buffer | undefined> {
  // Most requests (GETs) declare no body: skip the stream round trip for them.
  const { headers } = request
  if (headers['content-length'] === undefined && headers['transfer-encoding'] === undefined) {
    request.resume()
    return Promise.resolve(EMPTY_BODY)
  }
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = []
    let bytes = 0
    request.on('data', (chunk: Buffer) => {
      bytes += chunk.length
      if (bytes > MAX_PAYLOAD_BYTES) {
        request.removeAllListeners('data')
        request.resume()
        resolve(undefined)
      } else {
        chunks.push(chunk)
      }
    })
    request.on('end', () => resolve(Buffer.concat(chunks)))
    request.on('error', reject)
  })
}
