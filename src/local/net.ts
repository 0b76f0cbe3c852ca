import type { IncomingMessage, Server } from 'node:http'
import type { AddressInfo } from 'node:net'

/** The local cloud listens on loopback only: nothing it serves is meant for other machines. */
export const LOOPBACK = '127.0.0.1'

/** A port the local cloud wanted is taken, named so the user can pick another. */
export class PortInUseError extends Error {
  override readonly name = 'PortInUseError'

  constructor(
    readonly port: number,
    options?: ErrorOptions,
  ) {
    super(
      `port ${port} on ${LOOPBACK} is already in use; choose another or 0 for any free port`,
      options,
    )
  }
}

/** Listens on loopback; resolves to the bound port (port 0 picks a free one). */
export function listenOnLoopback(server: Server, port: number): Promise<number> {
  return new Promise((resolve, reject) => {
    const fail = (error: NodeJS.ErrnoException) =>
      reject(error.code === 'EADDRINUSE' ? new PortInUseError(port, { cause: error }) : error)
    server.once('error', fail)
    server.listen(port, LOOPBACK, () => {
      server.off('error', fail)
      resolve((server.address() as AddressInfo).port)
    })
  })
}

const EMPTY_BODY = Buffer.alloc(0)

/**
 * Reads a request's body; resolves undefined once it passes `maxBytes`, and from then on reads
 * and drops the rest, so a refused client's connection can finish and close.
 */
export function readBodyUpTo(
  request: IncomingMessage,
  maxBytes: number,
): Promise<Buffer | undefined> {
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
      if (bytes > maxBytes) {
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

/** Stops accepting, drops idle keep-alive connections, and resolves once the server is closed. */
export function closeServer(server: Server): Promise<void> {
  return new Promise((resolve, reject) => {
    server.close((error) => (error ? reject(error) : resolve()))
    server.closeAllConnections()
  })
}

/** Connections to a server: open now, and opened since it started. */
export interface ConnectionCounts {
  open: number
  opened: number
}

/** Counts a server's connections as they open and close (read the returned object any time). */
export function countConnections(server: Server): Readonly<ConnectionCounts> {
  const counts: ConnectionCounts = { open: 0, opened: 0 }
  server.on('connection', (socket) => {
    counts.open += 1
    counts.opened += 1
    socket.once('close', () => {
      counts.open -= 1
    })
  })
  return counts
}
