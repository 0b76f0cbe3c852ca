import type { SoakOptions } from './flags.js'
import type { SoakSample } from './sampler.js'
import { leastSquaresSlope, type Point } from './slope.js'

export const SOAK_SCHEMA_VERSION = 1

/** What cannot be measured here, said in every report. */
export const SOAK_NOTES = [
  'Environments are worker threads of this one process: the RSS is the whole local cloud, environments included; no environment has an RSS of its own, so each is measured by its V8 heap.',
  "Heaps are measured after a full collection (the soak exposes gc): they are what is retained. The process's RSS is reported but not judged: the allocator keeps freed pages and thread stacks count too.",
  "The load generator runs in a child process and is not measured. The mix's only writes replace grades, so the stored data does not grow.",
]

export interface SoakSlopes {
  /** The judged figure: the main thread's heap plus every environment's, MB per minute. */
  retainedHeapMbPerMinute: number | undefined
  mainHeapMbPerMinute: number | undefined
  environmentsHeapMbPerMinute: number | undefined
  rssMbPerMinute: number | undefined
}

export interface SoakReport {
  schemaVersion: typeof SOAK_SCHEMA_VERSION
  startedAt: string
  endedAt: string
  settings: Omit<SoakOptions, 'outFile' | 'outFileGiven' | 'json'> & { faults: unknown }
  /** Samples taken after the warm-up and used for the slopes. */
  samplesInSlope: number
  slopes: SoakSlopes
  /** `too-short`: fewer than three samples after the warm-up, nothing to judge. */
  verdict: 'pass' | 'fail' | 'too-short'
  load: {
    sent: number
    succeeded: number
    failed: number
    statusCodes: Record<string, number>
    errorClasses: Record<string, number>
  }
  notes: string[]
  samples: SoakSample[]
}

/** The slopes after the warm-up, from samples in which every environment answered. */
export function slopesOf(
  samples: readonly SoakSample[],
  warmupMinutes: number,
): { slopes: SoakSlopes; count: number } {
  const kept = samples.filter(
    (sample) =>
      sample.elapsedSeconds / 60 >= warmupMinutes &&
      sample.environments.answered === sample.environments.live,
  )
  const series = (value: (sample: SoakSample) => number): Point[] =>
    kept.map((sample) => [sample.elapsedSeconds / 60, value(sample)])
  const round = (slope: number | undefined) =>
    slope === undefined ? undefined : Math.round(slope * 1000) / 1000
  return {
    count: kept.length,
    slopes: {
      retainedHeapMbPerMinute: round(
        leastSquaresSlope(
          series((sample) => sample.process.heapUsedMb + sample.environments.heapUsedMb),
        ),
      ),
      mainHeapMbPerMinute: round(leastSquaresSlope(series((sample) => sample.process.heapUsedMb))),
      environmentsHeapMbPerMinute: round(
        leastSquaresSlope(series((sample) => sample.environments.heapUsedMb)),
      ),
      rssMbPerMinute: round(leastSquaresSlope(series((sample) => sample.process.rssMb))),
    },
  }
}

export function verdictOf(slopes: SoakSlopes, maxSlopeMbPerMinute: number): SoakReport['verdict'] {
  const slope = slopes.retainedHeapMbPerMinute
  if (slope === undefined) return 'too-short'
  return slope <= maxSlopeMbPerMinute ? 'pass' : 'fail'
}

const COLUMNS = [
  'elapsed s',
  'RSS MB',
  'heap MB',
  'envs',
  'env heap MB',
  'gw conns',
  'ddb conns',
  'sent',
  'failed',
]

export function tableHeader(): string {
  return COLUMNS.map((column) => column.padStart(12)).join('')
}

export function tableRow(sample: SoakSample): string {
  const cells = [
    sample.elapsedSeconds.toFixed(1),
    sample.process.rssMb.toFixed(1),
    sample.process.heapUsedMb.toFixed(1),
    `${sample.environments.answered}/${sample.environments.live}`,
    sample.environments.heapUsedMb.toFixed(1),
    String(sample.sockets.gatewayOpen),
    String(sample.sockets.dynamodbOpen),
    String(sample.load.sent),
    String(sample.load.failed),
  ]
  return cells.map((cell) => cell.padStart(12)).join('')
}

function failures(errorClasses: Record<string, number>): string {
  const entries = Object.entries(errorClasses)
  return entries.length === 0
    ? ''
    : ` (${entries.map(([name, count]) => `${name} ${count}`).join(', ')})`
}

export function formatSummary(report: SoakReport, outFile: string): string {
  const slope = (value: number | undefined) =>
    value === undefined ? 'n/a' : `${value.toFixed(3)} MB/min`
  const { slopes } = report
  return [
    '',
    `aplus soak: ${report.settings.topology}, ${report.settings.ratePerSecond} req/s for ${report.settings.minutes} min; ${report.load.sent} sent, ${report.load.failed} failed${failures(report.load.errorClasses)}`,
    `  slopes after a ${report.settings.warmupMinutes}-minute warm-up (${report.samplesInSlope} samples, least squares):`,
    `    retained heap (main + environments) ${slope(slopes.retainedHeapMbPerMinute)}   bound ${report.settings.maxSlopeMbPerMinute} MB/min`,
    `    main heap ${slope(slopes.mainHeapMbPerMinute)}, environments' heaps ${slope(slopes.environmentsHeapMbPerMinute)}, RSS ${slope(slopes.rssMbPerMinute)} (not judged)`,
    `  verdict: ${report.verdict}`,
    `  report: ${outFile}`,
    '',
  ].join('\n')
}
