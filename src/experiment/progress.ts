import type { TickEvent } from '../loadtest/index.js'
import { percent } from './findings.js'
import type { VariantOutcome } from './results.js'
import type { ExperimentEvents } from './runner.js'
import type { Variant } from './variants.js'

interface ProgressOutput {
  write(text: string): void
  isTTY?: boolean
}

/** On a pipe, a line every this many seconds of load instead of a live line. */
const PLAIN_LINE_EVERY_SECONDS = 5

/**
 * Shows what the experiment is doing: which variant, which step, and while the load runs its
 * second, phase and rates. On a terminal it is one live line; elsewhere, a line now and then.
 */
export function progressPrinter(
  output: ProgressOutput,
  phaseOf: (variant: Variant, second: number) => string,
): ExperimentEvents {
  const live = output.isTTY === true
  let position = ''
  const show = (line: string, permanent = false) => {
    if (live) output.write(`\r\x1b[K${line}${permanent ? '\n' : ''}`)
    else output.write(`${line}\n`)
  }
  return {
    variantStarted(variant, index, total) {
      position = `[${index + 1}/${total}] ${variant.name}`
    },
    stage(_variant, stage) {
      if (stage !== 'loading') show(`${position}: ${stage}`)
    },
    tick(variant, tick: TickEvent) {
      const { second } = tick
      if (!live && (second.second % PLAIN_LINE_EVERY_SECONDS !== 0 || tick.draining)) return
      const phase = tick.draining ? 'draining' : phaseOf(variant, second.second)
      show(
        `${position}: ${phase}, second ${second.second + 1}/${Math.round(tick.plannedDurationMs / 1000)} · ` +
          `sent ${second.sent}/s, succeeded ${second.succeeded}/s, failed ${second.failed}/s, in flight ${second.inFlight}`,
      )
    },
    variantDone(outcome: VariantOutcome) {
      const summary = outcome.summary
      const result = summary
        ? `failure rate ${percent(summary.failureRate)}, average ok ${summary.averageSuccessLatencyMs.toFixed(0)} ms, p99 ${summary.p99Ms.toFixed(0)} ms, ${summary.throughputPerSecond.toFixed(1)} req/s`
        : `failed: ${outcome.error}`
      show(`${position}: done in ${(outcome.wallClockMs / 1000).toFixed(1)} s · ${result}`, true)
    },
  }
}
