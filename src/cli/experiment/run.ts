import { resolve } from 'node:path'
import { ExperimentFileError, loadExperimentFile } from '../../experiment/definition.js'
import { progressPrinter } from '../../experiment/progress.js'
import {
  COMPARISON_ALIGN_RIGHT,
  COMPARISON_HEADERS,
  comparisonRows,
  FAULT_HEADERS,
  faultRows,
  renderTextTable,
} from '../../experiment/report/table.js'
import { runExperiment } from '../../experiment/runner.js'
import { phaseWindows } from '../../experiment/scenario.js'
import { resolveVariants } from '../../experiment/variants.js'
import { UsageError } from '../command.js'

export interface ExperimentCommandOptions {
  file: string
  quick: boolean
  only: string[] | undefined
  outDir: string
  json: boolean
}

/** `aplus experiment`: checks the file and variants before running anything, then runs them. */
export async function runExperimentCommand(options: ExperimentCommandOptions): Promise<number> {
  let experiment: Awaited<ReturnType<typeof loadExperimentFile>>
  let variants: ReturnType<typeof resolveVariants>
  try {
    experiment = await loadExperimentFile(options.file)
    variants = resolveVariants(experiment, options.file, {
      quick: options.quick,
      ...(options.only ? { only: options.only } : {}),
    })
  } catch (error) {
    if (error instanceof ExperimentFileError) throw new UsageError(error.message)
    throw error
  }
  const timeScale = options.quick ? (experiment.quick?.timeScale ?? 1) : 1
  const reproduce = [
    'npx aplus experiment',
    options.file,
    options.quick ? '--quick' : '',
    ...(options.only ?? []).map((name) => `--variant '${name}'`),
  ]
    .filter(Boolean)
    .join(' ')
  process.stderr.write(
    `aplus experiment: ${experiment.name}, ${variants.length} variant(s)${options.quick ? ', quick' : ''}\n`,
  )
  const output = await runExperiment({
    experiment,
    experimentFile: options.file,
    variants,
    quick: options.quick,
    outDir: options.outDir,
    reproduce,
    events: progressPrinter(process.stderr, (variant, second) => {
      const phase = phaseWindows(experiment, variant, timeScale).find(
        (window) => second >= window.startSecond && second < window.endSecond,
      )
      return phase?.name ?? 'draining'
    }),
  })
  if (options.json) {
    process.stdout.write(`${JSON.stringify(output.run, null, 2)}\n`)
  } else {
    const table = renderTextTable(
      COMPARISON_HEADERS,
      comparisonRows(output.run.variants),
      COMPARISON_ALIGN_RIGHT,
    )
    process.stdout.write(`\n${table}\n\n`)
    const faults = faultRows(output.run.variants)
    if (faults.length > 0) {
      const alignRight = FAULT_HEADERS.map((_, index) => index > 0)
      process.stdout.write(
        `Injected faults\n${renderTextTable(FAULT_HEADERS, faults, alignRight)}\n\n`,
      )
    }
  }
  process.stderr.write(
    `report: ${resolve(output.files.html)}\n        ${resolve(output.files.markdown)}\n`,
  )
  return output.run.variants.every((variant) => variant.status === 'completed') ? 0 : 1
}
