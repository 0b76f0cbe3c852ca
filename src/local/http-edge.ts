import { type Server, STATUS_CODES } from 'node:http'
import type { Duplex } from 'node:stream'

/** A request Node's HTTP parser refused before any request handler saw it. */
export type MalformedRequest =
  /** An unknown method, a broken request line, header or chunked body. */
  | 'bad-request'
  /** Request line and headers over the server's maxHeaderSize. */
  | 'headers-too-large'
  /** The request did not arrive within the server's requestTimeout. */
  | 'timeout'
  /** A CONNECT request: a proxy tunnel, which no server here offers. */
  | 'connect'

export interface EdgeAnswer {
  statusCode: number
  headers: Record<string, string>
  body: string
}

/**
 * Left alone, Node answers what its parser rejects (a method it does not know, a header over
 * maxHeaderSize, broken chunking) with a bare status line and no body, and drops a CONNECT
 * request without a word. A local server answers them instead as the service it emulates does
 * its other errors, with a body a client can read, and closes the connection.
 */
export function answerMalformedRequests(
  server: Server,
  answer: (problem: MalformedRequest) => EdgeAnswer,
): void {
  server.on('clientError', (error: NodeJS.ErrnoException, socket: Duplex) => {
    if (!socket.writable || error.code === 'ECONNRESET') {
      socket.destroy()
      return
    }
    endWith(socket, answer(problemOf(error)))
  })
  server.on('connect', (_request, socket: Duplex) => endWith(socket, answer('connect')))
}

/** How long a refused client may take to close its side before the socket is destroyed. */
const LINGER_MS = 5_000

/**
 * Writes the answer and half-closes. What the client still sends is read and dropped (a socket
 * Node handed over after CONNECT is paused, and unread data would keep its close from being
 * seen); one that never closes its side is destroyed after LINGER_MS.
 */
function endWith(socket: Duplex, edgeAnswer: EdgeAnswer): void {
  socket.end(serialize(edgeAnswer))
  socket.resume()
  setTimeout(() => socket.destroy(), LINGER_MS).unref()
}

function problemOf(error: NodeJS.ErrnoException): MalformedRequest {
  if (error.code === 'HPE_HEADER_OVERFLOW') return 'headers-too-large'
  if (error.code === 'ERR_HTTP_REQUEST_TIMEOUT') return 'timeout'
  return 'bad-request'
}

function serialize({ statusCode, headers, body }: EdgeAnswer): string {
  const lines = [`HTTP/1.1 ${statusCode} ${STATUS_CODES[statusCode] ?? 'Error'}`]
  for (const [name, value] of Object.entries(headers)) lines.push(`${name}: ${value}`)
  lines.push(`Content-Length: ${Buffer.byteLength(body)}`, 'Connection: close')
  return `${lines.join('\r\n')}\r\n\r\n${body}`
}
