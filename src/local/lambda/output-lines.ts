import type { Readable } from 'node:stream'
import type { EnvironmentLog } from './environment.js'

/** Splits a worker's raw output into lines and hands each to the environment's log. */
export function forwardLines(
  stream: Readable,
  level: 'STDOUT' | 'STDERR',
  onLog: (log: Omit<EnvironmentLog, 'environmentId'>) => void,
  requestId: () => string | undefined,
): void {
  let partial = ''
  stream.setEncoding('utf8')
  stream.on('data', (chunk: string) => {
    const lines = (partial + chunk).split('\n')
    partial = lines.pop() ?? ''
    for (const message of lines) {
      onLog({ requestId: requestId(), level, message, timeEpochMs: Date.now() })
    }
  })
  stream.on('end', () => {
    if (partial !== '') {
      onLog({ requestId: requestId(), level, message: partial, timeEpochMs: Date.now() })
    }
  })
}
