import { randomUUID } from 'node:crypto'
import type { FaultSettings } from '../faults/config.js'
import { LambdaFaults } from '../faults/lambda.js'
import {
  type AccountLimits,
  ConcurrencyGovernor,
  DEFAULT_ACCOUNT_LIMITS,
  type ThrottleReason,
} from './concurrency.js'
import {
  DEFAULT_COLD_START_DELAY_MS,
  DEFAULT_IDLE_RECLAIM_MS,
  MAX_SYNC_PAYLOAD_BYTES,
} from './defaults.js'
import type { ExecutionEnvironment } from './environment.js'
import { LambdaServiceClosedError, UnknownFunctionError } from './errors.js'
import type { InvocationOutcome, LambdaEvent, LambdaListener } from './events.js'
import { environmentData, functionEnvironment } from './function-environment.js'
import { type Acquired, FunctionPool } from './function-pool.js'
import { bootstrapSource } from './runtime/build.js'
import type { LambdaError } from './runtime/protocol.js'

/**
 * What a throttled invoke tells the caller to wait. Concurrency frees up as running invocations
 * finish, within a second for the A+ handlers; Lambda's own value is not documented.
 */
export const THROTTLE_RETRY_AFTER_SECONDS = 1

export interface LambdaFunctionConfig {
  name: string
  /** The bundle's entry file; its directory is LAMBDA_TASK_ROOT. */
  bundleFile: string
  /** The export that is the handler (default `handler`, i.e. `index.handler`). */
  handlerExport?: string
  memoryMb: number
  timeoutSeconds: number
  reservedConcurrency?: number | undefined
  provisionedConcurrency?: number | undefined
  /** The function's own environment variables (its configuration). */
  environment?: Readonly<Record<string, string>>
}

export interface LambdaServiceOptions {
  functions: readonly LambdaFunctionConfig[]
  account?: Partial<AccountLimits>
  idleReclaimMs?: number
  coldStartDelayMs?: number
  region?: string
  accountId?: string
  /** Subscribed before anything starts, so it sees provisioned environments' cold starts too. */
  onEvent?: LambdaListener
  /** Faults to inject (its `lambda` part and `seed`); none by default. */
  faults?: FaultSettings
}

/**
 * What a synchronous Invoke answers. `success` and `function-error` are Lambda's 200 responses
 * (the latter with `X-Amz-Function-Error: Unhandled`); `throttled` is its 429
 * TooManyRequestsException; `rejected` a request it refused before running anything.
 */
export type InvokeResult =
  | { status: 'success'; payload: string; requestId: string }
  | { status: 'function-error'; error: LambdaError; outcome: InvocationOutcome; requestId: string }
  | {
      status: 'throttled'
      statusCode: 429
      errorType: 'TooManyRequestsException'
      reason: ThrottleReason
      message: 'Rate Exceeded.'
      /** Lambda's hint to the caller, as its TooManyRequestsException carries it. */
      retryAfterSeconds: number
    }
  | { status: 'rejected'; statusCode: number; errorType: string; message: string }

interface FunctionEntry {
  config: LambdaFunctionConfig
  pool: FunctionPool
  timeoutMs: number
}

/**
 * The local Lambda service: every function of a topology with its execution environments,
 * admission under Lambda's concurrency rules, cold starts, timeouts, crashes and the events
 * that report them. Synchronous invocations only, and never queued.
 */
export class LambdaService {
  private readonly functions = new Map<string, FunctionEntry>()
  private readonly listeners = new Set<LambdaListener>()
  private readonly governor: ConcurrencyGovernor
  private readonly faults: LambdaFaults | undefined
  private closed = false

  private constructor(governor: ConcurrencyGovernor, faults: LambdaFaults | undefined) {
    this.governor = governor
    this.faults = faults
  }

  /** Starts the service; provisioned environments are initialized before it resolves. */
  static async start(options: LambdaServiceOptions): Promise<LambdaService> {
    const account = { ...DEFAULT_ACCOUNT_LIMITS, ...options.account }
    const service = new LambdaService(
      new ConcurrencyGovernor(
        account,
        options.functions.map((fn) => ({
          name: fn.name,
          reservedConcurrency: fn.reservedConcurrency,
          provisionedConcurrency: fn.provisionedConcurrency,
        })),
      ),
      options.faults ? new LambdaFaults(options.faults.lambda, options.faults.seed) : undefined,
    )
    if (options.onEvent) service.subscribe(options.onEvent)
    const code = await bootstrapSource()
    for (const config of options.functions) {
      service.functions.set(config.name, {
        config,
        timeoutMs: config.timeoutSeconds * 1000,
        pool: new FunctionPool({
          functionName: config.name,
          memoryMb: config.memoryMb,
          code,
          data: environmentData(config, options),
          env: functionEnvironment(config, options),
          idleReclaimMs: options.idleReclaimMs ?? DEFAULT_IDLE_RECLAIM_MS,
          coldStartDelayMs: options.coldStartDelayMs ?? DEFAULT_COLD_START_DELAY_MS,
          emit: (event) => service.emit(event),
        }),
      })
    }
    try {
      await Promise.all(
        [...service.functions.values()].map(({ pool, config }) =>
          pool.provision(config.provisionedConcurrency ?? 0),
        ),
      )
    } catch (error) {
      await service.close()
      throw error
    }
    return service
  }

  /** Names of the functions, in configuration order. */
  get functionNames(): string[] {
    return [...this.functions.keys()]
  }

  subscribe(listener: LambdaListener): () => void {
    this.listeners.add(listener)
    return () => this.listeners.delete(listener)
  }

  /** Environments of a function alive now (busy or idle) and how many of them are idle. */
  environments(functionName: string): { total: number; idle: number } {
    const { pool } = this.entry(functionName)
    return { total: pool.size, idle: pool.idleCount }
  }

  /** Every environment alive now, with its function: for the local cloud's own measurements. */
  liveEnvironments(): { functionName: string; environment: ExecutionEnvironment }[] {
    return [...this.functions.entries()].flatMap(([functionName, { pool }]) =>
      pool.environments.map((environment) => ({ functionName, environment })),
    )
  }

  /** Invokes a function synchronously with an event given as JSON text. */
  async invoke(functionName: string, eventJson: string): Promise<InvokeResult> {
    if (this.closed) throw new LambdaServiceClosedError()
    const entry = this.entry(functionName)
    const eventBytes = Buffer.byteLength(eventJson)
    if (eventBytes > MAX_SYNC_PAYLOAD_BYTES) {
      return {
        status: 'rejected',
        statusCode: 413,
        errorType: 'RequestTooLargeException',
        message: `Request must be smaller than ${MAX_SYNC_PAYLOAD_BYTES} bytes for the InvokeFunction operation`,
      }
    }
    const idle = entry.pool.takeIdle()
    const placement = !idle ? 'new' : idle.type === 'on-demand' ? 'warm' : 'provisioned'
    const admission = this.governor.admit(functionName, placement)
    if (!admission.admitted) {
      if (idle) entry.pool.putBack(idle.environment)
      this.emit({
        type: 'invocation-throttled',
        functionName,
        atEpochMs: Date.now(),
        reason: admission.reason,
      })
      return {
        status: 'throttled',
        statusCode: 429,
        errorType: 'TooManyRequestsException',
        reason: admission.reason,
        message: 'Rate Exceeded.',
        retryAfterSeconds: THROTTLE_RETRY_AFTER_SECONDS,
      }
    }
    const requestId = randomUUID()
    this.emit({
      type: 'invocation-started',
      functionName,
      requestId,
      atEpochMs: Date.now(),
      concurrency: this.governor.inFlight(functionName),
    })
    let finished: Finished = { outcome: 'crash', durationMs: 0, initMs: 0, coldStart: !idle }
    try {
      const failInit = !idle && this.faults?.initFails(functionName) === true
      const acquired: Acquired = idle
        ? { ok: true, environment: idle.environment, initMs: 0, modelledDelayMs: 0 }
        : await entry.pool.create('on-demand', failInit)
      if (!acquired.ok) {
        if (failInit) this.emitFault(functionName, 'init-failure', requestId)
        finished = { outcome: 'init-error', durationMs: 0, initMs: 0, coldStart: true }
        return {
          status: 'function-error',
          error: acquired.error.error,
          outcome: 'init-error',
          requestId,
        }
      }
      const result = await this.run(entry, acquired.environment, requestId, eventJson)
      finished = {
        ...result.finished,
        initMs: acquired.initMs + acquired.modelledDelayMs,
        coldStart: !idle,
      }
      return result.answer
    } finally {
      this.governor.release(admission.lease)
      this.emitFinished(entry.config, requestId, finished)
    }
  }

  /** Stops every environment; invocations still running end as crashes. */
  async close(): Promise<void> {
    this.closed = true
    await Promise.all([...this.functions.values()].map(({ pool }) => pool.close()))
  }

  private async run(
    entry: FunctionEntry,
    environment: ExecutionEnvironment,
    requestId: string,
    eventJson: string,
  ): Promise<{ answer: InvokeResult; finished: Omit<Finished, 'initMs' | 'coldStart'> }> {
    const crashAfterMs = this.faults?.crashAfterMs(entry.config.name)
    const outcome = await environment.invoke(requestId, eventJson, entry.timeoutMs, crashAfterMs)
    if (crashAfterMs !== undefined && outcome.kind === 'crash') {
      this.emitFault(entry.config.name, 'crash', requestId)
    }
    if (outcome.reusable) entry.pool.release(environment)
    else void entry.pool.discard(environment, outcome.kind === 'timeout' ? 'timeout' : 'crash')
    if (outcome.kind === 'success') {
      if (Buffer.byteLength(outcome.payload) > MAX_SYNC_PAYLOAD_BYTES) {
        const error = {
          errorType: 'Function.ResponseSizeTooLarge',
          errorMessage: `Response payload size exceeded maximum allowed payload size (${MAX_SYNC_PAYLOAD_BYTES} bytes).`,
        }
        return {
          answer: { status: 'function-error', error, outcome: 'error', requestId },
          finished: { outcome: 'error', durationMs: outcome.durationMs },
        }
      }
      return {
        answer: { status: 'success', payload: outcome.payload, requestId },
        finished: { outcome: 'success', durationMs: outcome.durationMs },
      }
    }
    return {
      answer: { status: 'function-error', error: outcome.error, outcome: outcome.kind, requestId },
      finished: { outcome: outcome.kind, durationMs: outcome.durationMs },
    }
  }

  private emitFinished(config: LambdaFunctionConfig, requestId: string, finished: Finished): void {
    const billedDurationMs = Math.ceil(finished.durationMs)
    // INIT is billed for on-demand cold starts (since August 2025), with the invocation.
    const billedInitMs = finished.coldStart ? Math.ceil(finished.initMs) : 0
    this.emit({
      type: 'invocation-finished',
      functionName: config.name,
      requestId,
      atEpochMs: Date.now(),
      outcome: finished.outcome,
      durationMs: finished.durationMs,
      billedDurationMs,
      billedInitMs,
      memoryMb: config.memoryMb,
      billedGbSeconds: ((billedDurationMs + billedInitMs) / 1000) * (config.memoryMb / 1024),
      coldStart: finished.coldStart,
      concurrency: this.governor.inFlight(config.name),
    })
  }

  private emitFault(functionName: string, kind: 'crash' | 'init-failure', requestId: string) {
    this.emit({ type: 'fault-injected', functionName, kind, requestId, atEpochMs: Date.now() })
  }

  private emit(event: LambdaEvent): void {
    for (const listener of this.listeners) listener(event)
  }

  private entry(functionName: string): FunctionEntry {
    const entry = this.functions.get(functionName)
    if (!entry) throw new UnknownFunctionError(functionName, this.functionNames)
    return entry
  }
}

interface Finished {
  outcome: InvocationOutcome
  durationMs: number
  initMs: number
  coldStart: boolean
}
