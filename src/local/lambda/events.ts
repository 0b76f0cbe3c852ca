import type { ThrottleReason } from './concurrency.js'
import type { EnvironmentLog, InitializationType } from './environment.js'

/**
 * What the local Lambda service reports as it works, one typed event per fact. The local
 * cloud's timeline aggregates them per second; anything else (a log printer, a test) may
 * subscribe too. Times are `atEpochMs` (wall clock) so events from the gateway and the service
 * line up.
 */
export type LambdaEvent =
  | InvocationStarted
  | InvocationFinished
  | InvocationThrottled
  | ColdStart
  | EnvironmentStopped
  | FaultInjected
  | FunctionLog

export interface InvocationStarted {
  type: 'invocation-started'
  functionName: string
  requestId: string
  atEpochMs: number
  /** The function's concurrent executions including this one. */
  concurrency: number
}

/** How an admitted invocation ended. */
export type InvocationOutcome = 'success' | 'error' | 'timeout' | 'crash' | 'init-error'

export interface InvocationFinished {
  type: 'invocation-finished'
  functionName: string
  requestId: string
  atEpochMs: number
  outcome: InvocationOutcome
  /** Handler time (the invoke phase), 0 when init failed. */
  durationMs: number
  /** Invoke duration rounded up to the next 1 ms, as Lambda bills it. */
  billedDurationMs: number
  /** Init duration billed with this invocation (on-demand cold starts), rounded up to 1 ms. */
  billedInitMs: number
  memoryMb: number
  /** GB-seconds billed: (billedDurationMs + billedInitMs) / 1000 × memoryMb / 1024. */
  billedGbSeconds: number
  coldStart: boolean
  /** The function's concurrent executions after this one ended. */
  concurrency: number
}

export interface InvocationThrottled {
  type: 'invocation-throttled'
  functionName: string
  atEpochMs: number
  reason: ThrottleReason
}

export interface ColdStart {
  type: 'cold-start'
  functionName: string
  environmentId: string
  atEpochMs: number
  initializationType: InitializationType
  /** Real time to import the bundle in the new environment (thread start included). */
  initMs: number
  /** The modelled platform delay added on top (0 for provisioned concurrency). */
  modelledDelayMs: number
}

export type StopReason = 'idle' | 'timeout' | 'crash' | 'out-of-memory' | 'init-error' | 'shutdown'

export interface EnvironmentStopped {
  type: 'environment-stopped'
  functionName: string
  environmentId: string
  atEpochMs: number
  reason: StopReason
}

/** A fault the local cloud injected on purpose (src/local/faults), as it took effect. */
export interface FaultInjected {
  type: 'fault-injected'
  functionName: string
  atEpochMs: number
  /** `crash`: an environment died mid-invocation; `init-failure`: a new one's init threw. */
  kind: 'crash' | 'init-failure'
  requestId: string
}

export interface FunctionLog extends EnvironmentLog {
  type: 'log'
  functionName: string
}

export type LambdaListener = (event: LambdaEvent) => void
