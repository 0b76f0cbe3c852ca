import { setTimeout as sleep } from 'node:timers/promises'
import { ExecutionEnvironment, type InitializationType, type InitOutcome } from './environment.js'
import type { LambdaListener, StopReason } from './events.js'
import type { EnvironmentData } from './runtime/protocol.js'

export interface PoolOptions {
  functionName: string
  memoryMb: number
  code: string
  data: Omit<EnvironmentData, 'logStreamName'>
  /** process.env of every environment, without the per-environment variables. */
  env: Record<string, string>
  idleReclaimMs: number
  coldStartDelayMs: number
  emit: LambdaListener
}

interface Member {
  environment: ExecutionEnvironment
  type: InitializationType
  /** When it last went idle, on the monotonic clock. */
  idleSinceMs: number
  /** Created once and refreshed on every release: cheaper than a new timer per invocation. */
  reclaimTimer: NodeJS.Timeout | undefined
}

export type Acquired =
  | { ok: true; environment: ExecutionEnvironment; initMs: number; modelledDelayMs: number }
  | { ok: false; error: InitOutcome & { ok: false } }

/**
 * The execution environments of one function: idle ones waiting for work (provisioned first,
 * then the most recently used on-demand one, so surplus environments stay idle and are
 * reclaimed), busy ones, and the reclaim timers. Admission is decided elsewhere; this class
 * only creates, hands out, takes back and stops environments.
 */
export class FunctionPool {
  private readonly members = new Map<ExecutionEnvironment, Member>()
  private readonly idleProvisioned: ExecutionEnvironment[] = []
  private readonly idleOnDemand: ExecutionEnvironment[] = []
  private closed = false

  constructor(private readonly options: PoolOptions) {}

  /** An idle environment to reuse, provisioned first; undefined when a new one is needed. */
  takeIdle(): { environment: ExecutionEnvironment; type: InitializationType } | undefined {
    const provisioned = this.idleProvisioned.pop()
    if (provisioned) return { environment: provisioned, type: 'provisioned-concurrency' }
    const onDemand = this.idleOnDemand.pop()
    if (!onDemand) return undefined
    return { environment: onDemand, type: 'on-demand' }
  }

  /** Puts an environment taken with takeIdle() back without having used it. */
  putBack(environment: ExecutionEnvironment): void {
    this.release(environment)
  }

  /**
   * Starts a new environment, runs its init and the modelled delay; it is busy when returned.
   * `failInit` injects an init failure (a fault; see src/local/faults).
   */
  async create(type: InitializationType, failInit = false): Promise<Acquired> {
    const logStreamName = logStream()
    const { environment, init } = await ExecutionEnvironment.start({
      code: this.options.code,
      data: { ...this.options.data, logStreamName, ...(failInit ? { failInit } : {}) },
      env: {
        ...this.options.env,
        AWS_LAMBDA_LOG_STREAM_NAME: logStreamName,
        AWS_LAMBDA_INITIALIZATION_TYPE: type,
      },
      heapLimitMb: this.options.memoryMb,
      onLog: (log) =>
        this.options.emit({ type: 'log', functionName: this.options.functionName, ...log }),
      onExit: (reason, exited) => void this.discard(exited, reason),
    })
    if (!init.ok) {
      this.emitStopped(environment.id, 'init-error')
      return { ok: false, error: init }
    }
    this.members.set(environment, { environment, type, idleSinceMs: 0, reclaimTimer: undefined })
    const modelledDelayMs = type === 'on-demand' ? this.options.coldStartDelayMs : 0
    // The modelled part of a cold start: time the platform spends before user code runs.
    if (modelledDelayMs > 0) await sleep(modelledDelayMs)
    this.options.emit({
      type: 'cold-start',
      functionName: this.options.functionName,
      environmentId: environment.id,
      atEpochMs: Date.now(),
      initializationType: type,
      initMs: init.initMs,
      modelledDelayMs,
    })
    if (!environment.alive) {
      // It ended by itself during the modelled delay (a module-scope timer threw, say).
      return { ok: false, error: { ok: false, error: environment.exitError() } }
    }
    if (this.closed) {
      await this.discard(environment, 'shutdown')
      return {
        ok: false,
        error: {
          ok: false,
          error: { errorType: 'ServiceException', errorMessage: 'the local cloud is stopping' },
        },
      }
    }
    return { ok: true, environment, initMs: init.initMs, modelledDelayMs }
  }

  /** Takes back an environment after an invocation; it idles until reused or reclaimed. */
  release(environment: ExecutionEnvironment): void {
    const member = this.members.get(environment)
    if (!member || this.closed) return
    if (member.type === 'provisioned-concurrency') {
      this.idleProvisioned.push(environment)
      return
    }
    this.idleOnDemand.push(environment)
    member.idleSinceMs = performance.now()
    if (member.reclaimTimer) {
      member.reclaimTimer.refresh()
    } else {
      member.reclaimTimer = setTimeout(() => this.reclaimIfIdle(member), this.options.idleReclaimMs)
      member.reclaimTimer.unref()
    }
  }

  /** The reclaim timer fired: stop the environment if it has been idle all that time. */
  private reclaimIfIdle(member: Member): void {
    if (!this.idleOnDemand.includes(member.environment)) return
    const idleMs = performance.now() - member.idleSinceMs
    if (idleMs + 1 >= this.options.idleReclaimMs) void this.discard(member.environment, 'idle')
  }

  /** Stops an environment for good; a provisioned one is replaced in the background. */
  async discard(environment: ExecutionEnvironment, reason: StopReason): Promise<void> {
    const member = this.members.get(environment)
    if (!member) return
    this.members.delete(environment)
    clearTimeout(member.reclaimTimer)
    removeFrom(this.idleOnDemand, environment)
    removeFrom(this.idleProvisioned, environment)
    this.emitStopped(environment.id, reason)
    await environment.stop()
    if (member.type === 'provisioned-concurrency' && !this.closed) {
      // A replacement that fails to initialize is reported by its own environment-stopped
      // event; until one succeeds, invocations spill over to on-demand environments.
      this.provision(1).catch(() => {})
    }
  }

  /** Starts provisioned environments and waits until they are ready; init failures throw. */
  async provision(count: number): Promise<void> {
    const created = await Promise.all(
      Array.from({ length: count }, () => this.create('provisioned-concurrency')),
    )
    for (const result of created) {
      if (!result.ok) {
        const { errorType, errorMessage } = result.error.error
        throw new Error(
          `provisioned concurrency for '${this.options.functionName}' failed to initialize: ${errorType}: ${errorMessage}`,
        )
      }
      this.release(result.environment)
    }
  }

  /** Environments alive now, busy or idle. */
  get size(): number {
    return this.members.size
  }

  /** Environments alive now, busy or idle. */
  get environments(): ExecutionEnvironment[] {
    return [...this.members.keys()]
  }

  get idleCount(): number {
    return this.idleOnDemand.length + this.idleProvisioned.length
  }

  async close(): Promise<void> {
    this.closed = true
    await Promise.all([...this.members.keys()].map((env) => this.discard(env, 'shutdown')))
  }

  private emitStopped(environmentId: string, reason: StopReason): void {
    this.options.emit({
      type: 'environment-stopped',
      functionName: this.options.functionName,
      environmentId,
      atEpochMs: Date.now(),
      reason,
    })
  }
}

function removeFrom(list: ExecutionEnvironment[], environment: ExecutionEnvironment): void {
  const index = list.indexOf(environment)
  if (index >= 0) list.splice(index, 1)
}

/** A log stream name as Lambda makes them: date, version, and a random id per environment. */
function logStream(): string {
  const date = new Date().toISOString().slice(0, 10).replaceAll('-', '/')
  const id = Array.from({ length: 32 }, () => Math.floor(Math.random() * 16).toString(16)).join('')
  return `${date}/[$LATEST]${id}`
}
