import { connect } from 'node:net'

/**
 * One HTTP/1.1 request written byte for byte on its own connection: what a hostile client can
 * send and fetch refuses to (bad percent-encoding, duplicate or oversized headers, odd methods,
 * invalid UTF-8). The server is asked to close the connection after answering.
 */
export interface RawRequest {
  method: string
  /** The request target exactly as sent, e.g. `/students/%ZZ?limit=5`. */
  target: string
  /** Header pairs in order; duplicates allowed. Host and Connection are added when absent. */
  headers?: readonly (readonly [string, string])[]
  body?: Buffer | string
  /** Adds `Content-Length` for the body unless the headers carry one (default true). */
  contentLength?: boolean
}

export interface RawResponse {
  status: number
  headers: Record<string, string>
  /** The body as text. */
  text: string
  /** The body parsed as JSON, or undefined when it is not JSON. */
  json: unknown
}

/** The connection ended without a complete response, or no answer came in time. */
export class RawHttpError extends Error {
  override readonly name = 'RawHttpError'
}

export function rawRequest(
  baseUrl: string,
  request: RawRequest,
  timeoutMs = 10_000,
): Promise<RawResponse> {
  const { hostname, port } = new URL(baseUrl)
  const body = typeof request.body === 'string' ? Buffer.from(request.body) : request.body
  const headers = [...(request.headers ?? [])]
  const has = (name: string) => headers.some(([key]) => key.toLowerCase() === name)
  if (!has('host')) headers.unshift(['Host', `${hostname}:${port}`])
  if (!has('connection')) headers.push(['Connection', 'close'])
  if (body && request.contentLength !== false && !has('content-length')) {
    headers.push(['Content-Length', String(body.length)])
  }
  const head = `${request.method} ${request.target} HTTP/1.1\r\n${headers
    .map(([name, value]) => `${name}: ${value}\r\n`)
    .join('')}\r\n`

  return new Promise((resolve, reject) => {
    const socket = connect(Number(port), hostname)
    const chunks: Buffer[] = []
    const timer = setTimeout(() => {
      socket.destroy()
      reject(
        new RawHttpError(`no answer within ${timeoutMs} ms to ${request.method} ${request.target}`),
      )
    }, timeoutMs)
    socket.on('data', (chunk: Buffer) => chunks.push(chunk))
    socket.on('error', (error) => {
      clearTimeout(timer)
      reject(new RawHttpError(`connection failed: ${error.message}`, { cause: error }))
    })
    socket.on('close', () => {
      clearTimeout(timer)
      try {
        resolve(parseResponse(Buffer.concat(chunks)))
      } catch (error) {
        reject(error)
      }
    })
    socket.write(Buffer.concat([Buffer.from(head, 'latin1'), body ?? Buffer.alloc(0)]))
  })
}

function parseResponse(bytes: Buffer): RawResponse {
  const end = bytes.indexOf('\r\n\r\n')
  if (end < 0)
    throw new RawHttpError(`the connection closed without a response (${bytes.length} bytes)`)
  const [statusLine = '', ...lines] = bytes.subarray(0, end).toString('latin1').split('\r\n')
  const status = Number(/^HTTP\/1\.[01] (\d{3})/.exec(statusLine)?.[1])
  if (!Number.isInteger(status)) throw new RawHttpError(`not an HTTP status line: ${statusLine}`)
  const headers: Record<string, string> = {}
  for (const line of lines) {
    const colon = line.indexOf(':')
    if (colon > 0) headers[line.slice(0, colon).trim().toLowerCase()] = line.slice(colon + 1).trim()
  }
  let body = bytes.subarray(end + 4)
  if (headers['transfer-encoding'] === 'chunked') body = unchunk(body)
  const text = body.toString('utf8')
  let json: unknown
  try {
    json = JSON.parse(text)
  } catch {
    json = undefined
  }
  return { status, headers, text, json }
}

function unchunk(bytes: Buffer): Buffer {
  const parts: Buffer[] = []
  let offset = 0
  while (offset < bytes.length) {
    const lineEnd = bytes.indexOf('\r\n', offset)
    if (lineEnd < 0) break
    const size = Number.parseInt(bytes.subarray(offset, lineEnd).toString('latin1'), 16)
    if (!Number.isFinite(size) || size === 0) break
    parts.push(bytes.subarray(lineEnd + 2, lineEnd + 2 + size))
    offset = lineEnd + 2 + size + 2
  }
  return Buffer.concat(parts)
}
