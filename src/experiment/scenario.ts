import { parseScenario, type Scenario } from '../loadtest/index.js'
import type { Experiment } from './definition.js'
import type { PhaseWindow } from './results.js'
import type { Variant } from './variants.js'

/** After the last phase, how long answers may still arrive before they count as timeouts. */
const DRAIN_TIMEOUT_MS = 2000

/**
 * The load tester's scenario for one variant: the experiment's workload and seed (the same
 * requests for every variant), and its load profile in the variant's model, durations scaled.
 */
export function scenarioFor(experiment: Experiment, variant: Variant, timeScale = 1): Scenario {
  const { workload } = experiment
  const scaled = (seconds: number) => Math.max(1, Math.round(seconds * timeScale))
  const load =
    variant.settings.model === 'open'
      ? {
          model: 'open' as const,
          phases: experiment.load.open.phases.map((phase) => ({
            type: 'constant' as const,
            ratePerSecond: phase.ratePerSecond,
            durationSeconds: scaled(phase.durationSeconds),
          })),
        }
      : {
          model: 'closed' as const,
          stages: experiment.load.closed.stages.map((stage) => ({
            virtualUsers: stage.virtualUsers,
            durationSeconds: scaled(stage.durationSeconds),
          })),
          thinkTimeMs: experiment.load.closed.thinkTimeMs,
        }
  return parseScenario(
    {
      name: `${experiment.name} · ${variant.name}`,
      seed: experiment.seed,
      setup: workload.setup,
      load,
      limits: { requestTimeoutMs: workload.requestTimeoutMs, drainTimeoutMs: DRAIN_TIMEOUT_MS },
      connections: workload.connections,
      mix: workload.mix,
    },
    `experiment ${experiment.name}, variant ${variant.name}`,
  )
}

/** Where each named phase of the variant's model falls, in seconds from the load's start. */
export function phaseWindows(
  experiment: Experiment,
  variant: Variant,
  timeScale = 1,
): PhaseWindow[] {
  const stretches =
    variant.settings.model === 'open' ? experiment.load.open.phases : experiment.load.closed.stages
  let startSecond = 0
  return stretches.map(({ name, durationSeconds }) => {
    const length = Math.max(1, Math.round(durationSeconds * timeScale))
    const window = { name, startSecond, endSecond: startSecond + length }
    startSecond += length
    return window
  })
}
