import { randomBytes } from 'node:crypto'
import type { EventLoopUtilization } from 'node:perf_hooks'
import { Worker } from 'node:worker_threads'
import { INIT_TIMEOUT_MS } from './defaults.js'
import { forwardLines } from './output-lines.js'
import type {
  EnvironmentData,
  EnvironmentMessage,
  HeapReport,
  InvokeMessage,
  LambdaError,
  LogSource,
} from './runtime/protocol.js'

export type InitializationType = 'on-demand' | 'provisioned-concurrency'

/** A line an environment wrote: console.* calls (with their level) or raw stdout/stderr. */
export interface EnvironmentLog {
  environmentId: string
  requestId: string | undefined
  level: LogSource
  message: string
  timeEpochMs: number
}

export interface EnvironmentOptions {
  code: string
  data: EnvironmentData
  /** The environment's whole process.env: nothing of the host's is inherited. */
  env: Record<string, string>
  /** V8 old-space limit; the function's memory size, so a leaking handler runs out as on Lambda. */
  heapLimitMb: number
  onLog(log: EnvironmentLog): void
  /**
   * Called when the environment ended by itself while idle (a timer in the handler threw or
   * called process.exit after the response). An end during an invocation is reported through
   * that invocation's outcome instead.
   */
  onExit(reason: ExitReason, environment: ExecutionEnvironment): void
}

export type ExitReason = 'crash' | 'timeout' | 'out-of-memory'

export type InitOutcome = { ok: true; initMs: number } | { ok: false; error: LambdaError }

/**
 * How one invocation ended. `reusable` is false when the environment is gone: it timed out,
 * crashed, or its runtime reported an uncaught error and exited.
 */
export type EnvironmentOutcome =
  | { kind: 'success'; payload: string; durationMs: number; reusable: true }
  | {
      kind: 'error' | 'timeout' | 'crash'
      error: LambdaError
      durationMs: number
      reusable: boolean
    }

interface Pending {
  requestId: string
  startedMs: number
  timeoutMs: number
  settle(outcome: EnvironmentOutcome): void
}

/**
 * One execution environment: a worker thread with its own module graph, module state and
 * process.env, running one function's bundle and serving one invocation at a time. A handler
 * that runs past its timeout is stopped with worker.terminate(), which interrupts even a busy
 * loop; one that calls process.exit or throws from a timer ends only its own thread.
 */
export class ExecutionEnvironment {
  private readonly worker: Worker
  private pending: Pending | undefined
  private initWaiter: ((outcome: InitOutcome) => void) | undefined
  private stopped = false
  private exitReason: ExitReason | undefined
  private exitCode: number | undefined
  private timeoutTimer: NodeJS.Timeout | undefined
  private timeoutMs = 0
  /** An injected crash was asked for: the runtime's end reads as a killed process. */
  private crashInjected = false
  /** Callers waiting for the heap report they asked for, in order. */
  private readonly heapWaiters: ((report: HeapReport | undefined) => void)[] = []

  readonly id = randomBytes(16).toString('hex')

  private constructor(private readonly options: EnvironmentOptions) {
    this.worker = new Worker(options.code, {
      eval: true,
      workerData: options.data,
      env: options.env,
      stdout: true,
      stderr: true,
      resourceLimits: { maxOldGenerationSizeMb: options.heapLimitMb },
      name: `lambda:${options.data.functionName}:${this.id}`,
    })
    this.worker.on('message', (message: EnvironmentMessage) => this.onMessage(message))
    this.worker.on('error', (error) => this.onWorkerError(error))
    this.worker.on('exit', (code) => this.onWorkerExit(code))
    const requestId = () => this.pending?.requestId
    forwardLines(
      this.worker.stdout,
      'STDOUT',
      (log) => options.onLog({ ...log, environmentId: this.id }),
      requestId,
    )
    forwardLines(
      this.worker.stderr,
      'STDERR',
      (log) => options.onLog({ ...log, environmentId: this.id }),
      requestId,
    )
  }

  /** Starts an environment and runs its init phase; on failure the environment is stopped. */
  static async start(
    options: EnvironmentOptions,
  ): Promise<{ environment: ExecutionEnvironment; init: InitOutcome }> {
    const environment = new ExecutionEnvironment(options)
    const init = await environment.waitForInit()
    if (!init.ok) await environment.stop()
    return { environment, init }
  }

  get alive(): boolean {
    return !this.stopped && this.exitReason === undefined
  }

  /** Lambda's error for an environment whose runtime is gone. */
  exitError(requestId = ''): LambdaError {
    const how = this.crashInjected ? 'signal: killed' : `exit status ${this.exitCode ?? 1}`
    return {
      errorType: 'Runtime.ExitError',
      errorMessage: `RequestId: ${requestId} Error: Runtime exited with error: ${how}`,
    }
  }

  /**
   * Runs one invocation; the environment must be idle. With `crashAfterMs` (an injected fault)
   * the runtime dies during it, as a killed process would.
   */
  invoke(
    requestId: string,
    eventJson: string,
    timeoutMs: number,
    crashAfterMs?: number,
  ): Promise<EnvironmentOutcome> {
    if (this.pending) throw new Error(`environment ${this.id} is already serving a request`)
    if (!this.alive) {
      return Promise.resolve({
        kind: 'crash',
        error: this.exitError(requestId),
        durationMs: 0,
        reusable: false,
      })
    }
    return new Promise((resolve) => {
      const startedMs = performance.now()
      this.armTimeout(timeoutMs)
      this.pending = {
        requestId,
        startedMs,
        timeoutMs,
        settle: (outcome) => {
          this.pending = undefined
          resolve(outcome)
        },
      }
      const message: InvokeMessage = {
        type: 'invoke',
        requestId,
        eventJson,
        deadlineEpochMs: Date.now() + timeoutMs,
        ...(crashAfterMs === undefined ? {} : { crashAfterMs }),
      }
      if (crashAfterMs !== undefined) this.crashInjected = true
      this.worker.postMessage(message)
    })
  }

  /**
   * One timer per environment, refreshed for each invocation (a new timer per invocation costs
   * more than the rest of the bookkeeping); when it fires with nothing pending it does nothing.
   */
  private armTimeout(timeoutMs: number): void {
    if (this.timeoutTimer && this.timeoutMs === timeoutMs) {
      this.timeoutTimer.refresh()
      return
    }
    clearTimeout(this.timeoutTimer)
    this.timeoutMs = timeoutMs
    this.timeoutTimer = setTimeout(() => this.onTimeoutTimer(), timeoutMs)
    this.timeoutTimer.unref()
  }

  private onTimeoutTimer(): void {
    const pending = this.pending
    if (!pending) return
    const overdueMs = performance.now() - pending.startedMs - pending.timeoutMs
    // The timer was refreshed at this invocation's start, so it fires at its deadline; the
    // tolerance covers timer granularity.
    if (overdueMs >= -1) this.onTimeout(pending.timeoutMs)
  }

  /**
   * The environment's V8 heap, as its runtime reports it (after a full collection with
   * `collect`); undefined if it does not answer within `timeoutMs` (a handler spinning, say) or
   * is gone. Worker threads share the process's RSS, so the heap is what can be told apart.
   */
  heap(collect: boolean, timeoutMs = 1000): Promise<HeapReport | undefined> {
    if (!this.alive) return Promise.resolve(undefined)
    return new Promise((resolve) => {
      const timer = setTimeout(() => settle(undefined), timeoutMs)
      const settle = (report: HeapReport | undefined) => {
        clearTimeout(timer)
        const index = this.heapWaiters.indexOf(settle)
        if (index >= 0) this.heapWaiters.splice(index, 1)
        resolve(report)
      }
      this.heapWaiters.push(settle)
      this.worker.postMessage({ type: 'heap', collect })
    })
  }

  /** Event loop utilization of the thread since `previous` (or since it started). */
  eventLoopUtilization(previous?: EventLoopUtilization): EventLoopUtilization {
    return this.worker.performance.eventLoopUtilization(previous)
  }

  /** Terminates the thread; an invocation still running is answered as a crash. */
  async stop(): Promise<void> {
    this.stopped = true
    clearTimeout(this.timeoutTimer)
    await this.worker.terminate()
  }

  /**
   * Waits for the init phase, up to Lambda's 10 s. On AWS an on-demand init that overruns is
   * retried inside the first invocation, under the function's timeout; here the environment is
   * stopped and the invocation fails as a timeout, which is what a client sees when the retry
   * overruns too.
   */
  private waitForInit(): Promise<InitOutcome> {
    const startedMs = performance.now()
    return new Promise((resolve) => {
      const timer = setTimeout(() => {
        this.settleInit({
          ok: false,
          error: {
            errorType: 'Sandbox.Timedout',
            errorMessage: `INIT phase timed out after ${(INIT_TIMEOUT_MS / 1000).toFixed(2)} seconds`,
          },
        })
      }, INIT_TIMEOUT_MS)
      this.initWaiter = (outcome) => {
        clearTimeout(timer)
        resolve(outcome.ok ? { ok: true, initMs: performance.now() - startedMs } : outcome)
      }
    })
  }

  private settleInit(outcome: InitOutcome): void {
    const waiter = this.initWaiter
    this.initWaiter = undefined
    waiter?.(outcome)
  }

  private onMessage(message: EnvironmentMessage): void {
    if (message.type === 'log') {
      this.options.onLog({
        environmentId: this.id,
        requestId: message.requestId,
        level: message.level,
        message: message.message,
        timeEpochMs: Date.now(),
      })
    } else if (message.type === 'heap') {
      const { type: _, ...report } = message
      this.heapWaiters[0]?.(report)
    } else if (message.type === 'ready') {
      this.settleInit({ ok: true, initMs: 0 })
    } else if (message.type === 'init-error') {
      this.settleInit({ ok: false, error: message.error })
    } else if (message.type === 'result') {
      this.settle(message.requestId, { kind: 'success', payload: message.payload })
    } else if (message.type === 'error') {
      this.settle(message.requestId, { kind: 'error', error: message.error })
    } else {
      // The runtime reported an uncaught error and is exiting: the environment is gone.
      this.exitReason = 'crash'
      if (this.initWaiter) this.settleInit({ ok: false, error: message.error })
      else this.settle(message.requestId, { kind: 'error', error: message.error })
    }
  }

  private settle(
    requestId: string | undefined,
    outcome:
      | { kind: 'success'; payload: string }
      | { kind: 'error' | 'timeout' | 'crash'; error: LambdaError },
  ): void {
    const pending = this.pending
    if (!pending || (requestId !== undefined && requestId !== pending.requestId)) return
    const durationMs = performance.now() - pending.startedMs
    if (outcome.kind === 'success') {
      pending.settle({ ...outcome, durationMs, reusable: true })
    } else {
      pending.settle({ ...outcome, durationMs, reusable: this.alive && outcome.kind === 'error' })
    }
  }

  private onTimeout(timeoutMs: number): void {
    const pending = this.pending
    if (!pending) return
    this.exitReason = 'timeout'
    this.settle(pending.requestId, {
      kind: 'timeout',
      error: {
        errorType: 'Sandbox.Timedout',
        errorMessage: `RequestId: ${pending.requestId} Error: Task timed out after ${(timeoutMs / 1000).toFixed(2)} seconds`,
      },
    })
    void this.worker.terminate()
  }

  private onWorkerError(error: Error): void {
    // Errors the bootstrap could not report itself: out of memory, or a failure before its
    // handlers were installed.
    const outOfMemory = (error as { code?: string }).code === 'ERR_WORKER_OUT_OF_MEMORY'
    this.exitReason ??= outOfMemory ? 'out-of-memory' : 'crash'
    const lambdaError: LambdaError = outOfMemory
      ? {
          errorType: 'Runtime.OutOfMemory',
          errorMessage: `RequestId: ${this.pending?.requestId ?? ''} Error: Runtime exited with error: signal: killed`,
        }
      : {
          errorType: error.name,
          errorMessage: error.message,
          trace: error.stack?.split('\n') ?? [],
        }
    if (this.initWaiter) this.settleInit({ ok: false, error: lambdaError })
    else this.settle(undefined, { kind: 'crash', error: lambdaError })
  }

  private onWorkerExit(exitCode: number): void {
    this.exitCode = exitCode
    clearTimeout(this.timeoutTimer)
    const error = this.exitError(this.pending?.requestId)
    const wasServing = this.pending !== undefined || this.initWaiter !== undefined
    if (this.initWaiter) this.settleInit({ ok: false, error })
    this.settle(undefined, { kind: 'crash', error })
    this.exitReason ??= 'crash'
    if (!this.stopped && !wasServing) this.options.onExit(this.exitReason, this)
  }
}
