import type { Server } from 'node:http'
import { createRequire } from 'node:module'
import type { AddressInfo } from 'node:net'

const require = createRequire(import.meta.url)
const dynalite = require('dynalite') as (options: Record<string, unknown>) => Server

/**
 * dynalite's own HTTP server, untouched: the baseline the governed endpoint is compared with,
 * for behaviour (tests) and for overhead (bench). Tables change state at once, as in the engine.
 */
export async function startDynaliteDirect(): Promise<{ url: string; close(): Promise<void> }> {
  const server = dynalite({ createTableMs: 0, deleteTableMs: 0, updateTableMs: 0 })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const { port } = server.address() as AddressInfo
  return {
    url: `http://127.0.0.1:${port}`,
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.closeAllConnections()
        server.close((error) => (error ? reject(error) : resolve()))
      }),
  }
}
