import { type ChildProcess, fork } from 'node:child_process'
import { extname } from 'node:path'
import { fileURLToPath } from 'node:url'
import type { LoadMessage, LoadRequest } from './load-process.js'

export interface LoadChild {
  readonly process: ChildProcess
  /** Cumulative counts from the last tick. */
  readonly progress: { sent: number; succeeded: number; failed: number }
  /** Resolves with the final counts, or rejects if the child failed or died. */
  readonly finished: Promise<Extract<LoadMessage, { type: 'done' }>>
  stop(): void
}

/**
 * Starts the load generator in its own Node process (load-process.ts, beside this module with
 * the same extension: .js from dist/, .ts from src/ run through tsx).
 */
export function startLoadChild(request: LoadRequest): LoadChild {
  const extension = extname(fileURLToPath(import.meta.url))
  const entry = fileURLToPath(new URL(`./load-process${extension}`, import.meta.url))
  const child = fork(entry, [], {
    execArgv: extension === '.ts' ? ['--import', 'tsx'] : [],
    stdio: ['ignore', 'ignore', 'inherit', 'ipc'],
  })
  const progress = { sent: 0, succeeded: 0, failed: 0 }
  const finished = new Promise<Extract<LoadMessage, { type: 'done' }>>((resolve, reject) => {
    child.on('message', (message: LoadMessage) => {
      if (message.type === 'tick') Object.assign(progress, message)
      else if (message.type === 'done') {
        Object.assign(progress, {
          sent: message.sent,
          succeeded: message.succeeded,
          failed: message.failed,
        })
        resolve(message)
      } else reject(new Error(`the load generator failed: ${message.message}`))
    })
    child.once('exit', (code, signal) =>
      reject(
        new Error(
          `the load generator exited (${signal ?? `code ${code}`}) before reporting its end`,
        ),
      ),
    )
    child.once('error', reject)
  })
  child.send(request)
  return { process: child, progress, finished, stop: () => child.kill('SIGTERM') }
}
