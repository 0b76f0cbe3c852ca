import type { TickEvent } from '../loadtest/index.js'
import { type LocalCloud, startLocalCloud } from '../local/cloud.js'
import { instructorCredentials } from '../local/instructor-credentials.js'
import type { FunctionBundle } from '../topology/bundle.js'
import { buildSeries, summarize } from './collect.js'
import type { Experiment } from './definition.js'
import { findingsOf } from './findings.js'
import { runLoadInWorker } from './load-runner.js'
import type { VariantOutcome } from './results.js'
import { phaseWindows, scenarioFor } from './scenario.js'
import { costOf } from './usage.js'
import type { Variant } from './variants.js'

export interface VariantRunOptions {
  experiment: Experiment
  variant: Variant
  timeScale: number
  /** The topology's bundles, built once for every variant of the run that uses it. */
  bundles?: readonly FunctionBundle[]
  onTick?: (tick: TickEvent) => void
  onStage?: (stage: 'starting' | 'setting up' | 'loading' | 'verifying' | 'collecting') => void
}

/**
 * Runs one variant in a fresh local cloud: data loaded unthrottled, then the measured load from
 * the variant's burst balance, then every acknowledged write read back (unthrottled again). A
 * failure of any step is the variant's outcome, never the experiment's end.
 */
export async function runVariant(options: VariantRunOptions): Promise<VariantOutcome> {
  const { experiment, variant, timeScale } = options
  const startedAtMs = Date.now()
  const phases = phaseWindows(experiment, variant, timeScale)
  const base = {
    name: variant.name,
    ...(variant.description === undefined ? {} : { description: variant.description }),
    settings: variant.settings,
    startedAt: new Date(startedAtMs).toISOString(),
    phases,
  }
  let cloud: LocalCloud | undefined
  try {
    options.onStage?.('starting')
    cloud = await startCloud(variant, options.bundles)
    const started = cloud
    const governor = started.dynamodb.governor
    let loadStartEpochMs = Date.now()
    let loadEndEpochMs = Number.POSITIVE_INFINITY
    options.onStage?.('setting up')
    const scenario = scenarioFor(experiment, variant, timeScale)
    const load = await runLoadInWorker(
      {
        baseUrl: started.url,
        scenario,
        retries: variant.settings.clientRetries,
        verify: true,
        ...(await instructorCredentials(started.auth, scenario.load.virtualUsers)),
      },
      {
        onReady: () => governor?.startMeasuredRun(variant.settings.startingBalance),
        onStart: (epochMs) => {
          loadStartEpochMs = epochMs
          options.onStage?.('loading')
        },
        onTick: (tick) => options.onTick?.(tick),
        onVerifying: () => {
          loadEndEpochMs = Date.now()
          governor?.endMeasuredRun()
          options.onStage?.('verifying')
        },
      },
    )
    options.onStage?.('collecting')
    const records = {
      load,
      lambda: started.timeline.export(),
      dynamodb: governor?.metrics.seconds() ?? [],
      loadStartEpochMs,
      loadEndEpochMs,
      phases,
    }
    const series = buildSeries(records)
    const summary = summarize(records, series)
    return {
      ...base,
      status: 'completed',
      wallClockMs: Date.now() - startedAtMs,
      summary,
      series,
      cost: costOf(variant, summary, load.load.sendWindowMs / 1000),
      findings: findingsOf({ summary, series, phases, load, topology: variant.settings.topology }),
      load,
    }
  } catch (error) {
    return {
      ...base,
      status: 'failed',
      error: error instanceof Error ? `${error.name}: ${error.message}` : String(error),
      wallClockMs: Date.now() - startedAtMs,
      findings: [],
    }
  } finally {
    await cloud?.close()
  }
}

function startCloud(
  variant: Variant,
  bundles: readonly FunctionBundle[] | undefined,
): Promise<LocalCloud> {
  const { settings } = variant
  return startLocalCloud({
    topology: settings.topology,
    capacity: variant.capacity,
    storeProfile: settings.storeProfile,
    // The data is loaded first with every request admitted; the measured run then starts from
    // the variant's burst balance (see the onReady hook).
    governor: { enforce: false, startingBalance: settings.startingBalance },
    config: variant.cloudLayers,
    ...(bundles === undefined ? {} : { bundles }),
  })
}
