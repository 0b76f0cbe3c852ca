import { mkdir, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import type { TickEvent } from '../loadtest/index.js'
import { buildTopology, type FunctionBundle } from '../topology/bundle.js'
import type { Topology } from '../topology/topologies.js'
import type { Experiment } from './definition.js'
import { buildReport } from './report/build.js'
import { renderHtml } from './report/html.js'
import { renderMarkdown } from './report/markdown.js'
import type { ExperimentRun, VariantOutcome } from './results.js'
import { runVariant } from './run-variant.js'
import type { Variant } from './variants.js'

export interface ExperimentOptions {
  experiment: Experiment
  experimentFile: string
  variants: readonly Variant[]
  quick: boolean
  /** Where the run's folder is created: `<outDir>/<experiment>-<time>/`. */
  outDir: string
  /** The command that repeats the run, for the report. */
  reproduce: string
  events?: ExperimentEvents
}

/** What a running experiment reports, for a progress display. */
export interface ExperimentEvents {
  variantStarted?(variant: Variant, index: number, total: number): void
  stage?(variant: Variant, stage: string): void
  tick?(variant: Variant, tick: TickEvent): void
  variantDone?(outcome: VariantOutcome, index: number, total: number): void
}

export interface ExperimentOutput {
  run: ExperimentRun
  directory: string
  files: { results: string; markdown: string; html: string }
}

/**
 * Runs the variants one after another (they share two cores; in parallel they would measure
 * each other), writing results.json after each, so a run that stops part-way keeps what it
 * measured; then writes report.md and index.html beside it.
 */
export async function runExperiment(options: ExperimentOptions): Promise<ExperimentOutput> {
  const { experiment, variants, events } = options
  const startedAt = new Date()
  const directory = join(options.outDir, `${experiment.name}-${stamp(startedAt)}`)
  await mkdir(directory, { recursive: true })
  const files = {
    results: join(directory, 'results.json'),
    markdown: join(directory, 'report.md'),
    html: join(directory, 'index.html'),
  }
  const run: ExperimentRun = {
    formatVersion: 1,
    experiment: experiment.name,
    experimentFile: options.experimentFile,
    quick: options.quick,
    seed: experiment.seed,
    startedAt: startedAt.toISOString(),
    variants: [],
  }
  const timeScale = options.quick ? (experiment.quick?.timeScale ?? 1) : 1
  const bundles = await bundlesFor(variants)
  for (const [index, variant] of variants.entries()) {
    events?.variantStarted?.(variant, index, variants.length)
    const outcome = await runVariant({
      experiment,
      variant,
      timeScale,
      ...withBundles(bundles.get(variant.settings.topology)),
      onStage: (stage) => events?.stage?.(variant, stage),
      onTick: (tick) => events?.tick?.(variant, tick),
    })
    run.variants.push(outcome)
    await writeFile(files.results, JSON.stringify(run, null, 2))
    events?.variantDone?.(outcome, index, variants.length)
  }
  run.endedAt = new Date().toISOString()
  await writeFile(files.results, JSON.stringify(run, null, 2))
  const document = buildReport(run, { reproduce: options.reproduce })
  await writeFile(files.markdown, renderMarkdown(document))
  await writeFile(files.html, await renderHtml(document))
  return { run, directory, files }
}

/** Builds each topology the variants use once, up front. */
async function bundlesFor(variants: readonly Variant[]): Promise<Map<Topology, FunctionBundle[]>> {
  const bundles = new Map<Topology, FunctionBundle[]>()
  for (const topology of new Set(variants.map((variant) => variant.settings.topology))) {
    bundles.set(topology, await buildTopology(topology))
  }
  return bundles
}

const withBundles = (bundles: FunctionBundle[] | undefined) => (bundles ? { bundles } : {})

/** `20261203-153012`: sortable, and safe in a folder name. */
function stamp(date: Date): string {
  return date.toISOString().replace(/[-:]/g, '').replace('T', '-').slice(0, 15)
}
