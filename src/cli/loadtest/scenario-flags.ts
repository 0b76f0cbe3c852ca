import {
  defaultScenario,
  loadScenarioFile,
  parseScenario,
  type Scenario,
  ScenarioError,
} from '../../loadtest/index.js'
import { UsageError } from '../command.js'
import type { LoadtestFlags } from './flags.js'

const DEFAULT_FLAG_DURATION_SECONDS = 30

/**
 * The scenario the flags describe: a file or the built-in one, with `--rate`, `--users` and the
 * other overrides applied, validated again as a whole so an override cannot produce a scenario
 * a file could not.
 */
export async function scenarioFromFlags(flags: LoadtestFlags): Promise<Scenario> {
  const base = flags.scenarioFile
    ? await scenarioFile(flags.scenarioFile)
    : parseScenario(defaultScenario, 'built-in')
  const source = `${flags.scenarioFile ?? 'built-in'} with command-line overrides`
  const durationSeconds = flags.durationSeconds ?? DEFAULT_FLAG_DURATION_SECONDS

  let load: Scenario['load'] = base.load
  if (flags.ratePerSecond !== undefined) {
    load = {
      model: 'open',
      phases: [{ type: 'constant', ratePerSecond: flags.ratePerSecond, durationSeconds }],
      maxInFlight: base.load.model === 'open' ? base.load.maxInFlight : 1000,
      virtualUsers: base.load.virtualUsers,
    }
  } else if (flags.virtualUsers !== undefined) {
    load = {
      model: 'closed',
      virtualUsers: flags.virtualUsers,
      durationSeconds,
      stages: [{ virtualUsers: flags.virtualUsers, durationSeconds }],
      thinkTimeMs: flags.thinkTimeMs ?? { min: 0, max: 0 },
    }
  } else if (flags.thinkTimeMs !== undefined && load.model === 'closed') {
    load = { ...load, thinkTimeMs: flags.thinkTimeMs }
  }
  if (flags.thinkTimeMs !== undefined && load.model !== 'closed') {
    throw new UsageError(
      'option --think-time applies to a closed model (--users or a closed scenario)',
    )
  }
  if (flags.maxInFlight !== undefined && load.model !== 'open') {
    throw new UsageError(
      'option --max-in-flight applies to an open model (--rate or an open scenario)',
    )
  }
  if (flags.maxInFlight !== undefined && load.model === 'open')
    load = { ...load, maxInFlight: flags.maxInFlight }

  return parseScenario(
    {
      ...base,
      seed: flags.seed ?? base.seed,
      connections: flags.connections ?? base.connections,
      load,
      limits: {
        ...base.limits,
        maxRequests: flags.maxRequests ?? base.limits.maxRequests,
        requestTimeoutMs: flags.requestTimeoutMs ?? base.limits.requestTimeoutMs,
        drainTimeoutMs: flags.drainTimeoutMs ?? base.limits.drainTimeoutMs,
      },
    },
    source,
  )
}

async function scenarioFile(file: string): Promise<Scenario> {
  try {
    return await loadScenarioFile(file)
  } catch (error) {
    if (error instanceof ScenarioError) {
      throw new UsageError(`option --scenario: ${error.message}`, { cause: error })
    }
    throw error
  }
}

/** A few lines saying what a run would do, for `--dry-run`. */
export function describePlan(scenario: Scenario): string {
  const load = scenario.load
  const lines = [`scenario ${scenario.name} (seed ${scenario.seed})`]
  if (load.model === 'open') {
    lines.push(`open model, ${load.phases.length} phase(s), at most ${load.maxInFlight} in flight:`)
    for (const phase of load.phases) lines.push(`  ${JSON.stringify(phase)}`)
  } else {
    lines.push(
      `closed model: ${load.virtualUsers} users for ${load.durationSeconds} s, think ${load.thinkTimeMs.min}-${load.thinkTimeMs.max} ms`,
    )
  }
  const { students, courses, enrollments } = scenario.setup
  lines.push(`set-up: ${students} students, ${courses} courses, ${enrollments} enrollments`)
  lines.push(`mix: ${scenario.mix.map((entry) => `${entry.request} ${entry.weight}`).join(', ')}`)
  return lines.join('\n')
}
