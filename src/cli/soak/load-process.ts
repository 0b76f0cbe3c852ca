/**
 * The soak's load generator, run as a child process so that what it keeps (its histograms, its
 * ledger of writes) is not measured as the local cloud's memory. It takes its settings as the
 * first message over IPC, runs one LoadTest, reports each second and the end, and exits.
 */
import { LoadTest } from '../../loadtest/index.js'
import { soakScenario } from './scenario.js'

export interface LoadRequest {
  baseUrl: string
  ratePerSecond: number
  durationSeconds: number
  seed: number
  /** Sent with every request: the bearer token that lets the load write. */
  headers: Record<string, string>
}

export type LoadMessage =
  | { type: 'tick'; sent: number; succeeded: number; failed: number }
  | {
      type: 'done'
      sent: number
      succeeded: number
      failed: number
      statusCodes: Record<string, number>
      /** Failures by class (timeout, connection error, 5xx…), as the load tester names them. */
      errorClasses: Record<string, number>
    }
  | { type: 'failed'; message: string }

async function run(request: LoadRequest): Promise<void> {
  const send = (message: LoadMessage) => process.send?.(message)
  const test = new LoadTest({
    baseUrl: request.baseUrl,
    scenario: soakScenario(request),
    headers: request.headers,
  })
  let succeeded = 0
  test.on('tick', (tick) => {
    succeeded += tick.second.succeeded
    send({ type: 'tick', sent: tick.totals.sent, succeeded, failed: tick.totals.failed })
  })
  const result = await test.run()
  send({
    type: 'done',
    sent: result.load.sent,
    succeeded: result.overall.succeeded,
    failed: result.overall.failed,
    statusCodes: result.overall.statusCodes,
    errorClasses: Object.fromEntries(
      Object.entries(result.overall.errorClasses).filter(([, count]) => count > 0),
    ),
  })
}

if (process.send) {
  process.once('message', (request: LoadRequest) => {
    run(request)
      .catch((error: unknown) => process.send?.({ type: 'failed', message: String(error) }))
      .finally(() => process.disconnect())
  })
}
