import type { TickEvent } from '../engine/load-phase.js'
import type { LoadTest } from '../runner.js'
import { formatCount, formatMs, formatPercent } from './format.js'

export interface ProgressOptions {
  stream: NodeJS.WriteStream
  /** Rewrite one line in place (a terminal) or print a line every `plainEverySeconds`. */
  live: boolean
  plainEverySeconds?: number
}

function describeTick(tick: TickEvent): string {
  const { second, totals } = tick
  const elapsed = Math.min(tick.elapsedMs, tick.plannedDurationMs) / 1000
  const planned = tick.plannedDurationMs / 1000
  const failedShare = totals.completed === 0 ? 0 : totals.failed / totals.completed
  const rate =
    tick.targetRatePerSecond === undefined
      ? `${second.sent}/s`
      : `${second.sent}/${Math.round(tick.targetRatePerSecond)}/s`
  const dropped = totals.dropped > 0 ? `  DROPPED ${formatCount(totals.dropped)}` : ''
  const phase = tick.draining ? 'draining' : `${elapsed.toFixed(0)}/${planned.toFixed(0)}s`
  return (
    `[${phase}] sent ${formatCount(totals.sent)}  done ${formatCount(totals.completed)}  ` +
    `failed ${formatPercent(failedShare)}  in flight ${totals.inFlight}  ` +
    (tick.draining ? '' : `rate ${rate}  `) +
    `p50 ${formatMs(second.p50Ms)}  p99 ${formatMs(second.p99Ms)}${dropped}`
  )
}

/**
 * Prints progress of a run to a stream (stderr in the CLI): a line rewritten in place on a
 * terminal, or a plain line every few seconds when the output is a file or a pipe.
 */
export function attachProgress(test: LoadTest, options: ProgressOptions): void {
  const { stream, live } = options
  const everySeconds = options.plainEverySeconds ?? 5
  let lineOpen = false
  const write = (text: string) => {
    if (live) {
      stream.write(`\r\x1b[2K${text}`)
      lineOpen = true
    } else stream.write(`${text}\n`)
  }
  const endLine = () => {
    if (lineOpen) stream.write('\n')
    lineOpen = false
  }

  test.on('preflight', (report) => {
    stream.write(
      `target ${report.url} answered ${report.statusCode} in ${formatMs(report.latencyMs)}\n`,
    )
  })
  test.on('setup', (report) => {
    const text = `set-up: ${report.students.created}/${report.students.wanted} students, ${report.courses.created}/${report.courses.wanted} courses, ${report.enrollments.created}/${report.enrollments.wanted} enrollments`
    if (live) write(text)
  })
  test.on('start', (event) => {
    endLine()
    stream.write(
      `load: ${event.scenario}, ${event.model} model, ${(event.plannedDurationMs / 1000).toFixed(1)} s planned\n`,
    )
  })
  let lastTick: TickEvent | undefined
  let lastPrinted: TickEvent | undefined
  test.on('tick', (tick) => {
    lastTick = tick
    if (live || tick.draining || (tick.second.second + 1) % everySeconds === 0) {
      write(describeTick(tick))
      lastPrinted = tick
    }
  })
  test.on('verify', (event) => {
    if (lastTick && lastTick !== lastPrinted) write(describeTick(lastTick))
    lastPrinted = lastTick
    endLine()
    if (event.state === 'started') stream.write('verify: reading acknowledged writes back…\n')
  })
  test.on('done', () => {
    // The last second's figures are always shown, even between two periodic lines.
    if (lastTick && lastTick !== lastPrinted) write(describeTick(lastTick))
    endLine()
  })
}
