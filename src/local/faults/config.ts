import { z } from 'zod'

/**
 * Faults the local cloud injects on purpose, configured per run: added DynamoDB latency,
 * InternalServerError (500) and ServiceUnavailable (503) answers and connection resets at the
 * DynamoDB endpoint, and Lambda environments that crash mid-request or fail their init. Every
 * decision comes from a PRNG seeded with `seed`, so a run can be repeated fault for fault.
 * All rates are probabilities from 0 to 1; nothing is injected by default.
 *
 * ```json
 * { "seed": 7,
 *   "dynamodb": { "latencyMs": { "distribution": "exponential", "meanMs": 20 },
 *                 "internalErrorRate": 0.05, "unavailableRate": 0.02, "connectionResetRate": 0.01 },
 *   "lambda": { "crashRate": 0.01, "initFailureRate": 0.1, "functions": ["enroll-student"] } }
 * ```
 */

const rate = z.number().min(0).max(1)
const milliseconds = z.number().min(0).max(60_000)

/** Added latency: a fixed number of milliseconds, or a distribution to draw from. */
export const latencySchema = z.union([
  milliseconds,
  z.strictObject({ distribution: z.literal('fixed'), ms: milliseconds }),
  z
    .strictObject({ distribution: z.literal('uniform'), minMs: milliseconds, maxMs: milliseconds })
    .refine((value) => value.minMs <= value.maxMs, 'minMs must not exceed maxMs'),
  z.strictObject({ distribution: z.literal('exponential'), meanMs: milliseconds }),
])

export const dynamoDbFaultsSchema = z
  .strictObject({
    /** Added to every affected request before it is answered. */
    latencyMs: latencySchema.optional(),
    /** The share of requests that get the added latency (all of them by default). */
    latencyRate: rate.default(1),
    /** 500 InternalServerError; the SDK retries it as a transient error. */
    internalErrorRate: rate.default(0),
    /** 503 ServiceUnavailable; retried as transient too. */
    unavailableRate: rate.default(0),
    /** The connection is reset (TCP RST) instead of answered: ECONNRESET, retried. */
    connectionResetRate: rate.default(0),
    /**
     * The share of injected 500s and resets that come after the operation did its work, as a
     * real InternalServerError may ("the write may or may not have applied"); the rest come
     * before it. 503s always come before: the request was not processed.
     */
    afterWorkShare: rate.default(0),
    /** Operations affected; by default every data-plane operation (never table management). */
    operations: z.array(z.string().min(1)).min(1).optional(),
  })
  .refine(
    (value) => value.internalErrorRate + value.unavailableRate + value.connectionResetRate <= 1,
    'internalErrorRate + unavailableRate + connectionResetRate must not exceed 1',
  )

export const lambdaFaultsSchema = z.strictObject({
  /** An invocation's environment dies while serving it (as a killed process would). */
  crashRate: rate.default(0),
  /** The crash comes within this many ms of the handler starting, or when it finishes first. */
  crashWithinMs: milliseconds.default(10),
  /** A new on-demand environment's init throws (provisioned environments are spared). */
  initFailureRate: rate.default(0),
  /** Functions affected, by name; all of them by default. */
  functions: z.array(z.string().min(1)).min(1).optional(),
})

export const faultsSchema = z.strictObject({
  seed: z
    .number()
    .int()
    .min(0)
    .max(2 ** 32 - 1)
    .default(1),
  dynamodb: dynamoDbFaultsSchema.prefault({}),
  lambda: lambdaFaultsSchema.prefault({}),
})

export type FaultsInput = z.input<typeof faultsSchema>
export type FaultSettings = z.output<typeof faultsSchema>
export type DynamoDbFaultSettings = z.output<typeof dynamoDbFaultsSchema>
export type LambdaFaultSettings = z.output<typeof lambdaFaultsSchema>
export type LatencySetting = z.output<typeof latencySchema>

export class FaultConfigError extends Error {
  override readonly name = 'FaultConfigError'
}

/** Fills in defaults and checks every value; a mistake names the key and what it got. */
export function resolveFaults(input: unknown = {}, source = 'faults'): FaultSettings {
  const result = faultsSchema.safeParse(input ?? {})
  if (result.success) return result.data
  const problems = result.error.issues.map((issue) => {
    const key = [source, ...issue.path.map(String)].join('.')
    return `${key}: ${issue.message}`
  })
  throw new FaultConfigError(problems.join('; '))
}

/** Whether any fault is configured at all (a run without faults skips the machinery). */
export function injectsAnything(settings: FaultSettings): boolean {
  const { dynamodb, lambda } = settings
  return (
    dynamodb.latencyMs !== undefined ||
    dynamodb.internalErrorRate > 0 ||
    dynamodb.unavailableRate > 0 ||
    dynamodb.connectionResetRate > 0 ||
    lambda.crashRate > 0 ||
    lambda.initFailureRate > 0
  )
}
