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
  private failed = false

  /**
   * `onError` hears the first failure to write (a full disk, a folder removed meanwhile); from
   * then on lines are dropped rather than thrown into the Lambda service that emitted them.
   */
  constructor(
    readonly directory: string,
    private readonly onError: (error: Error) => void = () => {},
  ) {}

  write(log: FunctionLog): void {
    if (this.failed) return
    let stream = this.streams.get(log.functionName)
    if (!stream) {
      try {
        mkdirSync(this.directory, { recursive: true })
      } catch (error) {
        this.fail(error as Error)
        return
      }
      stream = createWriteStream(join(this.directory, `${log.functionName}.log`), { flags: 'a' })
      stream.on('error', (error) => this.fail(error))
      this.streams.set(log.functionName, stream)
    }
    stream.write(`${log.environmentId.slice(0, 8)}\t${formatFunctionLog(log)}\n`)
  }

  private fail(error: Error): void {
    if (this.failed) return
    this.failed = true
    this.onError(error)
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
