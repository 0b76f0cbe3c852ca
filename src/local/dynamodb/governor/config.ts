import { z } from 'zod'

/**
 * How the capacity governor models DynamoDB. Every AWS constant is a named default with its
 * source in FACTS.md; where AWS documents no value, the default is a stated choice.
 */

/** Burst capacity: DynamoDB keeps up to 300 s of unused read and write capacity. */
export const AWS_BURST_SECONDS = 300
/** The most one partition serves per second, in either capacity mode. */
export const AWS_PARTITION_READ_UNITS_PER_SECOND = 3000
export const AWS_PARTITION_WRITE_UNITS_PER_SECOND = 1000
/** A new on-demand table or index serves this much at once (its default warm throughput). */
export const AWS_ON_DEMAND_WARM_READ_UNITS_PER_SECOND = 12_000
export const AWS_ON_DEMAND_WARM_WRITE_UNITS_PER_SECOND = 4000
/** On-demand absorbs up to twice the previous peak at once; more within 30 minutes can throttle. */
export const AWS_ON_DEMAND_PEAK_MULTIPLIER = 2
export const AWS_ON_DEMAND_PEAK_WINDOW_SECONDS = 30 * 60
/** Auto scaling: one-minute datapoints; 2 above target scale out, 15 below scale in. */
export const AWS_AUTO_SCALING_PERIOD_SECONDS = 60
export const AWS_AUTO_SCALING_SCALE_OUT_PERIODS = 2
export const AWS_AUTO_SCALING_SCALE_IN_PERIODS = 15
/** The console's default target utilization, and the range AWS allows. */
export const AWS_AUTO_SCALING_TARGET_PERCENT = 70

/**
 * Choices where AWS documents no number:
 * - a table's bucket starts full: a table in service that saw no traffic for five minutes has a
 *   full burst balance (start 'empty' to model a table created just before the load);
 * - UpdateTable after an auto scaling alarm "takes several minutes": three here;
 * - the scale-in alarm fires below the target minus 20 percentage points.
 */
export const DEFAULT_STARTING_BALANCE = 'full'
export const DEFAULT_AUTO_SCALING_UPDATE_DELAY_SECONDS = 180
export const DEFAULT_SCALE_IN_MARGIN_PERCENT = 20
/** How much per-second history the metrics keep for the JSON endpoint. */
export const DEFAULT_METRICS_HISTORY_SECONDS = 3600

const positiveUnits = z.number().int().min(1)

const autoScalingPolicySchema = z
  .object({
    targetUtilizationPercent: z
      .number()
      .int()
      .min(20)
      .max(90)
      .default(AWS_AUTO_SCALING_TARGET_PERCENT),
    maxReadUnits: positiveUnits,
    maxWriteUnits: positiveUnits,
    /** The lower bound; by default the units the table (or index) has when scaling starts. */
    minReadUnits: positiveUnits.optional(),
    minWriteUnits: positiveUnits.optional(),
  })
  .strict()

export const governorConfigSchema = z
  .object({
    /** false: every request is admitted, and still measured and reported. */
    enforce: z.boolean().default(true),
    burstSeconds: z.number().min(0).max(86_400).default(AWS_BURST_SECONDS),
    /** A new bucket's balance: 'empty', 'full', or this many seconds of its throughput. */
    startingBalance: z
      .union([z.literal('empty'), z.literal('full'), z.number().min(0)])
      .default(DEFAULT_STARTING_BALANCE),
    partitionCeiling: z
      .object({
        enabled: z.boolean().default(true),
        readUnitsPerSecond: z.number().positive().default(AWS_PARTITION_READ_UNITS_PER_SECOND),
        writeUnitsPerSecond: z.number().positive().default(AWS_PARTITION_WRITE_UNITS_PER_SECOND),
      })
      .strict()
      .prefault({}),
    onDemand: z
      .object({
        warmReadUnitsPerSecond: z
          .number()
          .positive()
          .default(AWS_ON_DEMAND_WARM_READ_UNITS_PER_SECOND),
        warmWriteUnitsPerSecond: z
          .number()
          .positive()
          .default(AWS_ON_DEMAND_WARM_WRITE_UNITS_PER_SECOND),
        peakMultiplier: z.number().min(1).default(AWS_ON_DEMAND_PEAK_MULTIPLIER),
        peakWindowSeconds: z.number().min(0).default(AWS_ON_DEMAND_PEAK_WINDOW_SECONDS),
      })
      .strict()
      .prefault({}),
    autoScaling: z
      .object({
        /** Alarm periods and the update delay pass this many times faster (60: a minute a second). */
        timeScale: z.number().positive().max(10_000).default(1),
        periodSeconds: z.number().positive().default(AWS_AUTO_SCALING_PERIOD_SECONDS),
        scaleOutPeriods: z.number().int().min(1).default(AWS_AUTO_SCALING_SCALE_OUT_PERIODS),
        scaleInPeriods: z.number().int().min(1).default(AWS_AUTO_SCALING_SCALE_IN_PERIODS),
        scaleInMarginPercent: z.number().min(0).max(90).default(DEFAULT_SCALE_IN_MARGIN_PERCENT),
        updateDelaySeconds: z.number().min(0).default(DEFAULT_AUTO_SCALING_UPDATE_DELAY_SECONDS),
        /** Target tracking policies by table name; tables not listed keep their capacity. */
        tables: z.record(z.string().min(1), autoScalingPolicySchema).default({}),
      })
      .strict()
      .prefault({}),
    metrics: z
      .object({
        historySeconds: z
          .number()
          .int()
          .min(1)
          .max(86_400)
          .default(DEFAULT_METRICS_HISTORY_SECONDS),
      })
      .strict()
      .prefault({}),
  })
  .strict()

/** The governor's settings, every field filled in. */
export type GovernorConfig = z.output<typeof governorConfigSchema>
/** What a caller or a config file writes: any subset of GovernorConfig. */
export type GovernorConfigInput = z.input<typeof governorConfigSchema>
export type AutoScalingPolicy = z.output<typeof autoScalingPolicySchema>
export type StartingBalance = GovernorConfig['startingBalance']

export class GovernorConfigError extends Error {
  override readonly name = 'GovernorConfigError'
}

/** Fills in defaults and checks every value; a mistake names the option and what it got. */
export function resolveGovernorConfig(
  input: unknown = {},
  source = 'governor config',
): GovernorConfig {
  const result = governorConfigSchema.safeParse(input ?? {})
  if (result.success) return result.data
  const problems = result.error.issues.map((issue) => {
    const option = issue.path.map(String).join('.')
    const got = option === '' ? '' : ` (got ${JSON.stringify(valueAt(input, issue.path))})`
    return `${option === '' ? 'top level' : `option '${option}'`}: ${issue.message}${got}`
  })
  throw new GovernorConfigError(`${source}: ${problems.join('; ')}`)
}

function valueAt(input: unknown, path: readonly PropertyKey[]): unknown {
  let value = input
  for (const key of path) {
    if (typeof value !== 'object' || value === null) return undefined
    value = (value as Record<PropertyKey, unknown>)[key]
  }
  return value
}
