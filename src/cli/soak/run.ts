import { mkdir, writeFile } from 'node:fs/promises'
import { dirname } from 'node:path'
import { setTimeout as sleep } from 'node:timers/promises'
import { startLocalCloud } from '../../local/cloud.js'
import { instructorCredentials } from '../../local/instructor-credentials.js'
import { type CloudConfig, CloudConfigError, loadCloudConfig } from '../../local/settings.js'
import { formatCapacitySpec } from '../../store/capacity.js'
import { UsageError } from '../command.js'
import { writableDirectory, writableFile } from '../output-paths.js'
import type { SoakOptions } from './flags.js'
import { startLoadChild } from './load-child.js'
import {
  formatSummary,
  SOAK_NOTES,
  SOAK_SCHEMA_VERSION,
  type SoakReport,
  slopesOf,
  tableHeader,
  tableRow,
  verdictOf,
} from './report.js'
import { exposeGc, type SoakSample, SoakSampler } from './sampler.js'

/** Exit code when the run finished but the memory slope was above the bound (as k6 thresholds). */
export const EXIT_SLOPE_ABOVE_BOUND = 99

/** How long the load may take past its planned end: set-up before it, drain after it. */
const GRACE_MS = 120_000

/**
 * Holds a steady load on a local cloud for the given minutes and samples its memory, live
 * environments and connections every few seconds; reports a table (stderr), the slopes after
 * the warm-up and a verdict against the bound, and writes the whole as JSON.
 */
export async function runSoak(options: SoakOptions): Promise<number> {
  if (options.outFileGiven) await writableFile('out', options.outFile)
  else await writableDirectory('out', dirname(options.outFile))
  const layers: CloudConfig[] = []
  if (options.configFile) layers.push(await configLayer(options.configFile))

  const gc = exposeGc()
  const startedAt = new Date()
  process.stderr.write(
    `aplus soak: starting the ${options.topology} local cloud (${formatCapacitySpec(options.capacity)})…\n`,
  )
  const cloud = await startLocalCloud({
    topology: options.topology,
    capacity: options.capacity,
    config: layers,
  })
  const samples: SoakSample[] = []
  let load: Awaited<ReturnType<typeof startLoadChild>['finished']> | undefined
  try {
    const lifetimeSeconds = options.minutes * 60 + GRACE_MS / 1000
    const { headers } = await instructorCredentials(cloud.auth, 1, lifetimeSeconds)
    const child = startLoadChild({
      baseUrl: cloud.url,
      ratePerSecond: options.ratePerSecond,
      durationSeconds: options.minutes * 60,
      seed: options.seed,
      headers,
    })
    const sampler = new SoakSampler(cloud, gc)
    process.stderr.write(`${tableHeader()}\n`)
    let done = false
    child.finished.then(
      () => {
        done = true
      },
      () => {
        done = true
      },
    )
    const deadlineMs = performance.now() + options.minutes * 60_000 + GRACE_MS
    while (!done && performance.now() < deadlineMs) {
      await Promise.race([
        sleep(options.sampleSeconds * 1000),
        child.finished.catch(() => undefined),
      ])
      const sample = await sampler.sample(child.progress)
      samples.push(sample)
      process.stderr.write(`${tableRow(sample)}\n`)
    }
    if (!done) child.stop()
    load = await child.finished
  } finally {
    await cloud.close()
  }

  const { slopes, count } = slopesOf(samples, options.warmupMinutes)
  const { outFile: _, outFileGiven: __, json: ___, ...settings } = options
  const report: SoakReport = {
    schemaVersion: SOAK_SCHEMA_VERSION,
    startedAt: startedAt.toISOString(),
    endedAt: new Date().toISOString(),
    settings: { ...settings, faults: cloud.settings.faults },
    samplesInSlope: count,
    slopes,
    verdict: verdictOf(slopes, options.maxSlopeMbPerMinute),
    load: {
      sent: load.sent,
      succeeded: load.succeeded,
      failed: load.failed,
      statusCodes: load.statusCodes,
      errorClasses: load.errorClasses,
    },
    notes: SOAK_NOTES,
    samples,
  }
  const document = `${JSON.stringify(report, null, 2)}\n`
  await mkdir(dirname(options.outFile), { recursive: true })
  await writeFile(options.outFile, document)
  if (options.json) process.stdout.write(document)
  process.stderr.write(formatSummary(report, options.outFile))
  return report.verdict === 'fail' ? EXIT_SLOPE_ABOVE_BOUND : 0
}

async function configLayer(file: string): Promise<CloudConfig> {
  try {
    return await loadCloudConfig(file)
  } catch (error) {
    if (error instanceof CloudConfigError) {
      throw new UsageError(`option --config: ${error.message}`, { cause: error })
    }
    throw error
  }
}
