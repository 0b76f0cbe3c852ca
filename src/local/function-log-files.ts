import { createWriteStream, mkdirSync, type WriteStream } from 'node:fs'
import { join } from 'node:path'
import type { FunctionLog } from './lambda/events.js'

/** A log line as Lambda's Node.js runtime writes it: time, request id, level, message. */
export function formatFunctionLog(log: FunctionLog): string {
  const time = new Date(log.timeEpochMs).toISOString()
  return `${time}\t${log.requestId ?? 'INIT'}\t${log.level}\t${log.message}`
}

/**
 * The functions' logs as files, one per function (as CloudWatch keeps one log group per
 * function): `<dir>/<function>.log`, appended to, each line naming its environment. Nothing a
 * function prints is dropped when the terminal stays quiet.
 */
export class FunctionLogFiles {
  private readonly streams = new Map<string, WriteStream>()

  constructor(readonly directory: string) {}

  write(log: FunctionLog): void {
    let stream = this.streams.get(log.functionName)
    if (!stream) {
      mkdirSync(this.directory, { recursive: true })
      stream = createWriteStream(join(this.directory, `${log.functionName}.log`), { flags: 'a' })
      this.streams.set(log.functionName, stream)
    }
    stream.write(`${log.environmentId.slice(0, 8)}\t${formatFunctionLog(log)}\n`)
  }

  /** Lines written so far, by function. */
  get functionNames(): string[] {
    return [...this.streams.keys()]
  }

  async close(): Promise<void> {
    await Promise.all(
      [...this.streams.values()].map(
        (stream) => new Promise<void>((resolve) => stream.end(() => resolve())),
      ),
    )
  }
}
