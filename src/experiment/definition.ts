import { z } from 'zod'
import { readValidatedFile } from '../config/validated-file.js'
import { mixSchema, setupSchema } from '../loadtest/index.js'
import { cloudConfigSchema } from '../local/settings.js'
import { CapacitySpecError, parseCapacitySpec } from '../store/capacity.js'
import { STORE_PROFILES, type StoreProfileName } from '../store/profile.js'
import { TOPOLOGIES } from '../topology/topologies.js'

/**
 * An experiment file: one workload and one load profile, run against each variant of the
 * system in a fresh local cloud. Versioned, so a recorded run can be read back and repeated.
 *
 * ```yaml
 * version: 1
 * name: seed
 * seed: 7
 * workload: { setup: {...}, mix: [...] }        # what requests, over what data
 * load:                                         # the same profile for every variant
 *   open:   { phases: [{ name: warm-up, ratePerSecond: 4, durationSeconds: 3 }, ...] }
 *   closed: { stages: [{ name: warm-up, virtualUsers: 2, durationSeconds: 3 }, ...] }
 * defaults: { topology: monolith, capacity: provisioned:25/25, ... }
 * variants: [{ name: monolith }, { name: per-route, topology: per-route }, ...]
 * quick: { variants: [monolith, per-route], timeScale: 0.6 }
 * ```
 */
export const EXPERIMENT_FILE_VERSION = 1

const seconds = z.number().gt(0).max(3600)
const phaseName = z.string().min(1).max(40)

const openPhase = z.strictObject({
  name: phaseName,
  ratePerSecond: z.number().min(0).max(100_000),
  durationSeconds: seconds,
})

const closedStage = z.strictObject({
  name: phaseName,
  virtualUsers: z.int().min(0).max(10_000),
  durationSeconds: seconds,
})

const capacityText = z.string().check((context) => {
  try {
    parseCapacitySpec(context.value)
  } catch (error) {
    if (!(error instanceof CapacitySpecError)) throw error
    context.issues.push({ code: 'custom', input: context.value, message: error.message })
  }
})

const storeProfileName = z.enum(
  Object.keys(STORE_PROFILES) as [StoreProfileName, ...StoreProfileName[]],
)

/** Everything that can differ between variants. */
const settingsShape = {
  topology: z.enum(TOPOLOGIES),
  /** The table's capacity, written as `aplus dev --capacity` takes it. */
  capacity: capacityText,
  /** The burst balance when the measured load starts: empty, full, or N seconds of throughput. */
  startingBalance: z.union([z.literal('empty'), z.literal('full'), z.number().min(0).max(300)]),
  storeProfile: storeProfileName,
  model: z.enum(['open', 'closed']),
  /** Client retries of 429 and 503 answers, honouring Retry-After; 0 measures first attempts. */
  clientRetries: z.int().min(0).max(10),
  /**
   * Admission control: `derived` reserves concurrency for each writing function from the table's
   * write capacity (src/topology/admission.ts); `none` leaves Lambda's account limit alone.
   */
  admission: z.enum(['none', 'derived']),
  /** Lambda and API Gateway settings for the local cloud (see src/local/settings.ts). */
  cloud: cloudConfigSchema,
}

const defaultsSchema = z.strictObject({
  ...settingsShape,
  startingBalance: settingsShape.startingBalance.default('empty'),
  storeProfile: settingsShape.storeProfile.default('seed-era'),
  model: settingsShape.model.default('closed'),
  clientRetries: settingsShape.clientRetries.default(0),
  admission: settingsShape.admission.default('none'),
  cloud: settingsShape.cloud.default({}),
})

const variantSchema = z.strictObject({
  name: z
    .string()
    .min(1)
    .max(60)
    .regex(/^[a-z0-9][a-z0-9 ._+-]*$/, 'must be lower-case letters, digits, spaces and . _ + -'),
  description: z.string().max(500).optional(),
  ...z.object(settingsShape).partial().shape,
})

export const experimentSchema = z
  .strictObject({
    $schema: z.string().optional(),
    version: z.literal(EXPERIMENT_FILE_VERSION),
    name: z.string().min(1).max(100),
    description: z.string().max(2000).optional(),
    /** Seeds the workload's choices and bodies: one seed, the same requests in every variant. */
    seed: z
      .int()
      .min(0)
      .max(2 ** 32 - 1),
    workload: z.strictObject({
      setup: setupSchema,
      mix: mixSchema,
      connections: z.int().min(1).max(1000).default(64),
      requestTimeoutMs: z.int().min(100).max(60_000).default(10_000),
    }),
    load: z.strictObject({
      open: z.strictObject({ phases: z.array(openPhase).min(1).max(20) }),
      closed: z.strictObject({
        stages: z.array(closedStage).min(1).max(20),
        /** Each user's pause between an answer and its next request. */
        thinkTimeMs: z
          .strictObject({ min: z.number().min(0).max(60_000), max: z.number().min(0).max(60_000) })
          .default({ min: 0, max: 0 }),
      }),
    }),
    defaults: defaultsSchema,
    variants: z.array(variantSchema).min(1).max(50),
    quick: z
      .strictObject({
        variants: z.array(z.string()).min(1),
        /** Multiplies every phase's duration in a quick run. */
        timeScale: z.number().gt(0).max(1).default(1),
      })
      .optional(),
  })
  .check((context) => {
    const names = new Set<string>()
    for (const [index, variant] of context.value.variants.entries()) {
      if (names.has(variant.name)) {
        context.issues.push({
          code: 'custom',
          input: variant.name,
          path: ['variants', index, 'name'],
          message: `variant name '${variant.name}' is used twice`,
        })
      }
      names.add(variant.name)
    }
    for (const [index, name] of (context.value.quick?.variants ?? []).entries()) {
      if (!names.has(name)) {
        context.issues.push({
          code: 'custom',
          input: name,
          path: ['quick', 'variants', index],
          message: `no variant is named '${name}'; variants: ${[...names].join(', ')}`,
        })
      }
    }
  })

export type Experiment = z.output<typeof experimentSchema>
export type ExperimentInput = z.input<typeof experimentSchema>
export type VariantSettings = z.output<typeof defaultsSchema>
export type OpenPhase = z.output<typeof openPhase>
export type ClosedStage = z.output<typeof closedStage>

/** A problem with an experiment file, each one named by JSON path (and line, for a file). */
export class ExperimentFileError extends Error {
  override readonly name = 'ExperimentFileError'

  constructor(
    readonly source: string,
    readonly problems: readonly { path: string; message: string }[],
    options?: ErrorOptions,
  ) {
    const lines = problems.map((problem) => `  ${source} at ${problem.path}: ${problem.message}`)
    super(`invalid experiment ${source}:\n${lines.join('\n')}`, options)
  }
}

/** Reads and validates an experiment file (YAML or JSON). */
export function loadExperimentFile(filePath: string): Promise<Experiment> {
  return readValidatedFile(
    filePath,
    experimentSchema,
    (problems, cause) =>
      new ExperimentFileError(filePath, problems, cause === undefined ? undefined : { cause }),
  )
}
