import { writeFile } from 'node:fs/promises'
import {
  exportK6Script,
  LoadTest,
  LoadTestError,
  type LoadTestResult,
  parseThreshold,
  SetupError,
  ThresholdError,
} from '../../loadtest/index.js'
import { attachProgress } from '../../loadtest/report/progress.js'
import { formatSummary } from '../../loadtest/report/summary.js'
import { EXIT_USAGE, UsageError } from '../command.js'
import { EXIT_THRESHOLDS_FAILED } from '../commands/loadtest.js'
import { writableFile } from '../output-paths.js'
import { readBearerFile, withBearerTokens } from './bearer-file.js'
import { type LoadtestFlags, parseLoadtestFlags } from './flags.js'
import { describePlan, scenarioFromFlags } from './scenario-flags.js'

const EXIT_RUN_FAILED = 1

function installInterrupt(test: LoadTest): () => void {
  const onInterrupt = () => {
    process.stderr.write(
      '\nstopping: waiting for outstanding requests (Ctrl-C again to quit now)\n',
    )
    test.stop()
    process.removeListener('SIGINT', onInterrupt)
  }
  process.on('SIGINT', onInterrupt)
  return () => process.removeListener('SIGINT', onInterrupt)
}

function thresholdFlag(text: string, verify: boolean) {
  try {
    return parseThreshold(text, verify)
  } catch (error) {
    if (error instanceof ThresholdError)
      throw new UsageError(`option --threshold: ${error.message}`)
    throw error
  }
}

async function writeOutputs(flags: LoadtestFlags, result: LoadTestResult): Promise<void> {
  const document = `${JSON.stringify(result, null, 2)}\n`
  if (flags.outFile) await writeFile(flags.outFile, document)
  if (flags.json) process.stdout.write(document)
  if (!flags.quiet) process.stderr.write(formatSummary(result))
}

async function runWithFlags(flags: LoadtestFlags): Promise<number> {
  const scenario = await scenarioFromFlags(flags)
  const thresholds = flags.thresholds.map((text) => thresholdFlag(text, flags.verify))
  if (flags.outFile) await writableFile('out', flags.outFile)

  if (flags.exportFormat === 'k6') {
    const script = exportK6Script(scenario, { baseUrl: flags.target, thresholds })
    if (flags.outFile) await writeFile(flags.outFile, script)
    else process.stdout.write(script)
    return 0
  }
  const tokens = flags.bearerFile ? await readBearerFile(flags.bearerFile) : undefined
  if (flags.dryRun) {
    const identities = tokens ? `\n${tokens.length} bearer token(s) from ${flags.bearerFile}` : ''
    process.stderr.write(`${describePlan(scenario)}${identities}\n`)
    return 0
  }

  const identities = tokens
    ? withBearerTokens(tokens, scenario, flags.headers)
    : { scenario, headers: flags.headers }
  const test = new LoadTest({
    baseUrl: flags.target ?? '',
    ...identities,
    retries: flags.retries,
    maxRetryDelayMs: flags.maxRetryDelayMs,
    verify: flags.verify,
    thresholds: flags.thresholds,
  })
  if (!flags.quiet)
    attachProgress(test, { stream: process.stderr, live: process.stderr.isTTY === true })
  const removeInterrupt = installInterrupt(test)
  try {
    const result = await test.run()
    await writeOutputs(flags, result)
    return result.thresholds.every((outcome) => outcome.passed) ? 0 : EXIT_THRESHOLDS_FAILED
  } finally {
    removeInterrupt()
  }
}

/**
 * `aplus loadtest`: flags → scenario → run → summary (stderr), JSON (stdout/--out), exit code.
 * Input problems found before any load (flags, scenario, thresholds, an unreachable target) exit
 * with 2; a set-up that fails exits with 1; failed thresholds exit with 99.
 */
export async function runLoadtestCli(argv: readonly string[]): Promise<number> {
  const flags = parseLoadtestFlags(argv)
  try {
    return await runWithFlags(flags)
  } catch (error) {
    if (error instanceof SetupError) {
      process.stderr.write(`aplus loadtest: ${error.message}\n`)
      return EXIT_RUN_FAILED
    }
    if (error instanceof LoadTestError) {
      process.stderr.write(`aplus loadtest: ${error.message}\n`)
      return EXIT_USAGE
    }
    throw error
  }
}
