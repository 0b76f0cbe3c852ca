import { parentPort, workerData } from 'node:worker_threads'
import { LoadTest } from '../loadtest/index.js'
import {
  HANDSHAKE_TIMEOUT_MS,
  type LoadWorkerInput,
  type LoadWorkerMessage,
} from './load-protocol.js'

/**
 * Runs one load test in its own thread, so the generator's timing does not share an event loop
 * with the local cloud it measures. Events go to the parent as messages; at the two hand-over
 * points it blocks until the parent says go.
 */
const input = workerData as LoadWorkerInput
const port = parentPort
if (!port) throw new Error('the load worker must run in a worker thread')
const handshake = new Int32Array(input.handshake)
const post = (message: LoadWorkerMessage) => port.postMessage(message)

function handOver(message: LoadWorkerMessage): void {
  Atomics.store(handshake, 0, 0)
  post(message)
  Atomics.wait(handshake, 0, 0, HANDSHAKE_TIMEOUT_MS)
}

const test = new LoadTest({
  baseUrl: input.baseUrl,
  scenario: input.scenario,
  retries: input.retries,
  verify: input.verify,
  headers: input.headers,
  ...(input.userHeaders.length > 0
    ? {
        headersForUser: (index: number) =>
          input.userHeaders[index % input.userHeaders.length] ?? {},
      }
    : {}),
})
test.on('ready', () => handOver({ type: 'ready' }))
test.on('start', (start) =>
  post({ type: 'start', epochMs: Date.now(), plannedDurationMs: start.plannedDurationMs }),
)
test.on('tick', (tick) => post({ type: 'tick', tick }))
test.on('verify', (event) => {
  if (event.state === 'started') handOver({ type: 'verifying' })
})
test.run().then(
  (result) => post({ type: 'done', result }),
  (error: unknown) =>
    post({
      type: 'failed',
      name: error instanceof Error ? error.name : 'Error',
      message: error instanceof Error ? error.message : String(error),
    }),
)
