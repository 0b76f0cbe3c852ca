import { Worker } from 'node:worker_threads'
import type { LoadTestResult, TickEvent } from '../loadtest/index.js'
import { workerScript } from '../shared/worker-script.js'
import type { LoadWorkerInput, LoadWorkerMessage } from './load-protocol.js'

export interface LoadRunHooks {
  /** Set-up is done; prepare the target. The load starts when this returns. */
  onReady(): void
  onStart(epochMs: number): void
  onTick(tick: TickEvent): void
  /** The load is over and acknowledged writes are about to be read back. */
  onVerifying(): void
}

/** A load test that failed before it could measure (the target was unreachable, say). */
export class LoadRunError extends Error {
  override name = 'LoadRunError'
}

/** Runs a load test in a worker thread and resolves with its result. */
export async function runLoadInWorker(
  options: Omit<LoadWorkerInput, 'handshake'>,
  hooks: LoadRunHooks,
): Promise<LoadTestResult> {
  const handshake = new SharedArrayBuffer(Int32Array.BYTES_PER_ELEMENT)
  const go = () => {
    const flag = new Int32Array(handshake)
    Atomics.store(flag, 0, 1)
    Atomics.notify(flag, 0)
  }
  const input: LoadWorkerInput = { ...options, handshake }
  const worker = new Worker(await workerScript(import.meta.url, 'load-worker'), {
    eval: true,
    workerData: input,
  })
  return new Promise((resolve, reject) => {
    const settle = (outcome: () => void) => {
      worker.removeAllListeners()
      void worker.terminate()
      outcome()
    }
    worker.on('message', (message: LoadWorkerMessage) => {
      try {
        handle(message)
      } catch (error) {
        settle(() => reject(error))
      }
    })
    const handle = (message: LoadWorkerMessage) => {
      switch (message.type) {
        case 'ready':
          runThen(hooks.onReady, go)
          break
        case 'start':
          hooks.onStart(message.epochMs)
          break
        case 'tick':
          hooks.onTick(message.tick)
          break
        case 'verifying':
          runThen(hooks.onVerifying, go)
          break
        case 'done':
          settle(() => resolve(message.result))
          break
        case 'failed':
          settle(() => reject(new LoadRunError(`${message.name}: ${message.message}`)))
          break
      }
    }
    worker.on('error', (error) => settle(() => reject(error)))
    worker.on('exit', (code) =>
      settle(() => reject(new LoadRunError(`the load worker exited with code ${code}`))),
    )
  })
}

/** Runs a hook and releases the worker even if the hook throws, so it never waits in vain. */
function runThen(hook: () => void, release: () => void): void {
  try {
    hook()
  } finally {
    release()
  }
}
