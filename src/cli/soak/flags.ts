import { join } from 'node:path'
import type { CapacitySpec } from '../../store/capacity.js'
import { TOPOLOGIES, type Topology } from '../../topology/topologies.js'
import { choiceFlag, integerFlag, numberFlag, parseFlags } from '../args.js'
import { capacityFlag } from '../capacity-flag.js'
import { UsageError } from '../command.js'

/** Everything `aplus soak` was asked for, checked and typed. */
export interface SoakOptions {
  minutes: number
  topology: Topology
  ratePerSecond: number
  sampleSeconds: number
  warmupMinutes: number
  /** The bound on the retained heap's growth; above it the run fails. */
  maxSlopeMbPerMinute: number
  capacity: CapacitySpec
  configFile: string | undefined
  outFile: string
  /** False when outFile is the default under .aplus/soak, whose folder may be created. */
  outFileGiven: boolean
  json: boolean
  seed: number
}

export const SOAK_DEFAULTS = {
  ratePerSecond: 50,
  sampleSeconds: 10,
  maxSlopeMbPerMinute: 1,
  /** A soak measures memory, not throttling: the table takes whatever it is sent. */
  capacity: 'on-demand',
  seed: 1,
} as const

/** A minute at most, a fifth of the run at most: the part left out of the slope. */
export function defaultWarmupMinutes(minutes: number): number {
  return Math.min(1, minutes / 5)
}

export function parseSoakFlags(argv: readonly string[], now = new Date()): SoakOptions {
  const { values, positionals } = parseFlags(argv, {
    minutes: { type: 'string' },
    topology: { type: 'string' },
    rate: { type: 'string' },
    'sample-seconds': { type: 'string' },
    'warmup-minutes': { type: 'string' },
    'max-slope': { type: 'string' },
    capacity: { type: 'string' },
    config: { type: 'string' },
    out: { type: 'string' },
    json: { type: 'boolean' },
    seed: { type: 'string' },
  })
  const [stray] = positionals
  if (stray !== undefined) throw new UsageError(`unexpected argument '${stray}'`)
  if (values.minutes === undefined) {
    throw new UsageError(
      'option --minutes is required: how long to hold the load, e.g. --minutes 10',
    )
  }
  const minutes = numberFlag('minutes', values.minutes, 0, { min: 0.05, max: 24 * 60 })
  const topology = choiceFlag('topology', values.topology, TOPOLOGIES, 'monolith')
  const warmupMinutes = numberFlag(
    'warmup-minutes',
    values['warmup-minutes'],
    defaultWarmupMinutes(minutes),
    { min: 0, max: 24 * 60 },
  )
  if (warmupMinutes >= minutes) {
    throw new UsageError(
      `option --warmup-minutes must be shorter than --minutes (${minutes}), got '${values['warmup-minutes']}'`,
    )
  }
  const stamp = now.toISOString().replace(/[:.]/g, '-')
  return {
    minutes,
    topology,
    ratePerSecond: numberFlag('rate', values.rate, SOAK_DEFAULTS.ratePerSecond, {
      min: 0.1,
      max: 5000,
    }),
    sampleSeconds: numberFlag(
      'sample-seconds',
      values['sample-seconds'],
      SOAK_DEFAULTS.sampleSeconds,
      {
        min: 0.5,
        max: 600,
      },
    ),
    warmupMinutes,
    maxSlopeMbPerMinute: numberFlag(
      'max-slope',
      values['max-slope'],
      SOAK_DEFAULTS.maxSlopeMbPerMinute,
      {
        min: 0,
        max: 10_000,
      },
    ),
    capacity: capacityFlag(values.capacity ?? SOAK_DEFAULTS.capacity),
    configFile: values.config,
    outFile: values.out ?? join('.aplus', 'soak', `soak-${topology}-${stamp}.json`),
    outFileGiven: values.out !== undefined,
    json: values.json === true,
    seed: integerFlag('seed', values.seed, SOAK_DEFAULTS.seed, { min: 0, max: 2 ** 32 - 1 }),
  }
}
