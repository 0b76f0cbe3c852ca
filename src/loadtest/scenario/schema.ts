import { z } from 'zod'
import { REQUEST_KIND_NAMES } from '../contract.js'

// Bounds that keep a typo from turning into a runaway run; a real run needing more can split.
const MAX_RATE_PER_SECOND = 1_000_000
const MAX_DURATION_SECONDS = 24 * 60 * 60

const ratePerSecond = z.number().min(0).max(MAX_RATE_PER_SECOND)
const durationSeconds = z.number().gt(0).max(MAX_DURATION_SECONDS)

const constantPhase = z.strictObject({
  type: z.literal('constant'),
  ratePerSecond,
  durationSeconds,
})

const rampPhase = z.strictObject({
  type: z.literal('ramp'),
  fromRatePerSecond: ratePerSecond,
  toRatePerSecond: ratePerSecond,
  durationSeconds,
})

/** A staircase from one rate to another in equal steps of equal length. */
const stepPhase = z.strictObject({
  type: z.literal('step'),
  fromRatePerSecond: ratePerSecond,
  toRatePerSecond: ratePerSecond,
  steps: z.int().min(2).max(1000),
  durationSeconds,
})

/** A base rate with one burst at a peak rate inside the phase. */
const spikePhase = z
  .strictObject({
    type: z.literal('spike'),
    baseRatePerSecond: ratePerSecond,
    peakRatePerSecond: ratePerSecond,
    durationSeconds,
    spikeStartSeconds: z.number().min(0),
    spikeDurationSeconds: durationSeconds,
  })
  .check((context) => {
    const phase = context.value
    if (phase.spikeStartSeconds + phase.spikeDurationSeconds > phase.durationSeconds) {
      context.issues.push({
        code: 'custom',
        input: phase,
        path: ['spikeDurationSeconds'],
        message: `the spike (${phase.spikeStartSeconds}s + ${phase.spikeDurationSeconds}s) must end within the phase's ${phase.durationSeconds}s`,
      })
    }
  })

export const phaseSchema = z.discriminatedUnion('type', [
  constantPhase,
  rampPhase,
  stepPhase,
  spikePhase,
])

/** Open model: requests arrive on a schedule, whether or not earlier ones have been answered. */
const openLoad = z
  .strictObject({
    model: z.literal('open'),
    phases: z.array(phaseSchema).min(1).max(1000),
    /** Above this many requests in flight, a scheduled request is dropped (and counted). */
    maxInFlight: z.int().min(1).max(1_000_000).default(1000),
    /** Logical users requests are assigned to in turn; only matters for per-user headers. */
    virtualUsers: z.int().min(1).max(100_000).default(1),
  })
  .check((context) => {
    const phases = context.value.phases
    const anyRate = phases.some((phase) => peakRateOf(phase) > 0)
    if (!anyRate) {
      context.issues.push({
        code: 'custom',
        input: phases,
        path: ['phases'],
        message: 'every phase has a rate of 0, so no request would be sent',
      })
    }
  })

/** A stretch of a closed-model run with a fixed number of users. */
const userStage = z.strictObject({
  virtualUsers: z.int().min(0).max(100_000),
  durationSeconds,
})

/**
 * Closed model: each virtual user sends, waits for the answer, thinks, and sends again. Either
 * one group of users for a duration, or stages (users added or retired at each stage's start).
 * Both forms come out as stages, with `virtualUsers` the most at once and `durationSeconds`
 * the whole length.
 */
const closedLoad = z
  .strictObject({
    model: z.literal('closed'),
    virtualUsers: z.int().min(1).max(100_000).optional(),
    durationSeconds: durationSeconds.optional(),
    stages: z.array(userStage).min(1).max(1000).optional(),
    thinkTimeMs: z
      .strictObject({ min: z.number().min(0), max: z.number().min(0) })
      .default({ min: 0, max: 0 }),
  })
  .check((context) => {
    const { min, max } = context.value.thinkTimeMs
    if (min > max) {
      context.issues.push({
        code: 'custom',
        input: context.value.thinkTimeMs,
        path: ['thinkTimeMs', 'min'],
        message: `min (${min}) must not exceed max (${max})`,
      })
    }
    const { virtualUsers, durationSeconds: duration, stages } = context.value
    const single = virtualUsers !== undefined || duration !== undefined
    // A parsed closed load carries both forms; it parses again only if they agree.
    const agrees =
      stages !== undefined &&
      virtualUsers === Math.max(...stages.map((stage) => stage.virtualUsers)) &&
      duration === stages.reduce((sum, stage) => sum + stage.durationSeconds, 0)
    if (stages && single && !agrees) {
      context.issues.push({
        code: 'custom',
        input: context.value,
        path: ['stages'],
        message: 'give either stages or virtualUsers with durationSeconds, not both',
      })
    } else if (!stages && (virtualUsers === undefined || duration === undefined)) {
      context.issues.push({
        code: 'custom',
        input: context.value,
        path: [virtualUsers === undefined ? 'virtualUsers' : 'durationSeconds'],
        message: 'a closed load needs virtualUsers and durationSeconds, or stages',
      })
    } else if (stages?.every((stage) => stage.virtualUsers === 0)) {
      context.issues.push({
        code: 'custom',
        input: stages,
        path: ['stages'],
        message: 'every stage has 0 users, so no request would be sent',
      })
    }
  })
  .transform(({ thinkTimeMs, virtualUsers, durationSeconds: duration, stages }) => {
    const resolved = stages ?? [{ virtualUsers: virtualUsers ?? 1, durationSeconds: duration ?? 1 }]
    return {
      model: 'closed' as const,
      thinkTimeMs,
      stages: resolved,
      virtualUsers: Math.max(...resolved.map((stage) => stage.virtualUsers)),
      durationSeconds: resolved.reduce((sum, stage) => sum + stage.durationSeconds, 0),
    }
  })

const mixEntry = z.strictObject({
  request: z.enum(REQUEST_KIND_NAMES),
  weight: z.number().gt(0).max(1_000_000),
})

/** The weighted request mix: shared with files that embed a workload, such as experiments. */
export const mixSchema = z.array(mixEntry).min(1)

/** The data created through the API before the load starts, then reused by the load. */
export const setupSchema = z
  .strictObject({
    students: z.int().min(0).max(100_000).default(50),
    courses: z.int().min(0).max(10_000).default(10),
    enrollments: z.int().min(0).max(1_000_000).default(100),
    courseCapacity: z.int().min(1).max(1000).default(1000),
  })
  .prefault({})

export const scenarioSchema = z
  .strictObject({
    $schema: z.string().optional(),
    name: z.string().min(1).max(200),
    description: z.string().max(2000).optional(),
    /** Seeds every generated choice and body, so two runs with one seed send the same requests. */
    seed: z
      .int()
      .min(0)
      .max(2 ** 32 - 1)
      .default(1),
    setup: setupSchema,
    load: z.discriminatedUnion('model', [openLoad, closedLoad]),
    limits: z
      .strictObject({
        /** Stop sending after this many requests, even if the phases have time left. */
        maxRequests: z.int().min(1).optional(),
        requestTimeoutMs: z.int().min(1).max(600_000).default(10_000),
        /** After the last phase, how long outstanding requests may finish before they count as timeouts. */
        drainTimeoutMs: z.int().min(0).max(600_000).default(5_000),
      })
      .prefault({}),
    /** Keep-alive connections to the target. */
    connections: z.int().min(1).max(10_000).default(64),
    /** Page size of the list requests (`limit=`). */
    pageSize: z.int().min(1).max(100).default(20),
    mix: mixSchema,
  })
  .check((context) => {
    const { students, courses, enrollments, courseCapacity } = context.value.setup
    const possible = Math.min(students * courses, courses * courseCapacity)
    if (enrollments > possible) {
      context.issues.push({
        code: 'custom',
        input: enrollments,
        path: ['setup', 'enrollments'],
        message: `${enrollments} enrollments cannot fit: ${students} students × ${courses} courses (capacity ${courseCapacity}) allow at most ${possible}`,
      })
    }
  })
  .check((context) => {
    const seen = new Set<string>()
    context.value.mix.forEach((entry, index) => {
      if (seen.has(entry.request)) {
        context.issues.push({
          code: 'custom',
          input: entry,
          path: ['mix', index, 'request'],
          message: `'${entry.request}' appears twice in the mix; give it one entry with the summed weight`,
        })
      }
      seen.add(entry.request)
    })
  })

export type Phase = z.output<typeof phaseSchema>
export type Scenario = z.output<typeof scenarioSchema>
/** What a scenario file may contain (defaults not yet applied). */
export type ScenarioInput = z.input<typeof scenarioSchema>
export type OpenLoad = Extract<Scenario['load'], { model: 'open' }>
export type ClosedLoad = Extract<Scenario['load'], { model: 'closed' }>

/** The highest arrival rate a phase reaches. */
export function peakRateOf(phase: Phase): number {
  switch (phase.type) {
    case 'constant':
      return phase.ratePerSecond
    case 'ramp':
    case 'step':
      return Math.max(phase.fromRatePerSecond, phase.toRatePerSecond)
    case 'spike':
      return Math.max(phase.baseRatePerSecond, phase.peakRatePerSecond)
  }
}
