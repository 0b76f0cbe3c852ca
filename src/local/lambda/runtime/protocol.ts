/**
 * Messages between the local Lambda service and the runtime inside one execution environment
 * (a worker thread). Events and results cross as JSON text, as they cross Lambda's runtime API,
 * so a handler sees a fresh object and its result is serialized exactly as Lambda would.
 */

/** Lambda's error shape: what a function error's payload holds. */
export interface LambdaError {
  errorType: string
  errorMessage: string
  trace?: string[]
}

/** Fixed for the environment's life; passed as the worker's data. */
export interface EnvironmentData {
  bundleFile: string
  /** The export that is the handler (`handler` for `index.handler`). */
  handlerExport: string
  /** The handler setting as Lambda shows it in errors, e.g. `index.handler`. */
  handlerSetting: string
  functionName: string
  functionVersion: string
  memoryMb: number
  invokedFunctionArn: string
  logGroupName: string
  logStreamName: string
  /** Injected fault: the init throws after the bundle is imported (see src/local/faults). */
  failInit?: boolean
}

/** Service → environment. */
export interface InvokeMessage {
  type: 'invoke'
  requestId: string
  eventJson: string
  deadlineEpochMs: number
  /**
   * Injected fault: the runtime dies this many ms after the handler starts, or as soon as the
   * handler finishes if that is sooner, without answering (see src/local/faults).
   */
  crashAfterMs?: number
}

/** Service → environment: report the heap (after a full collection, when `collect` is set). */
export interface HeapRequest {
  type: 'heap'
  collect: boolean
}

/** An environment's V8 heap, in bytes. */
export interface HeapReport {
  usedHeapBytes: number
  totalHeapBytes: number
  heapLimitBytes: number
}

export type LogLevel = 'TRACE' | 'DEBUG' | 'INFO' | 'WARN' | 'ERROR'

/** Where a line came from: a console method's level, or a raw write to stdout or stderr. */
export type LogSource = LogLevel | 'STDOUT' | 'STDERR'

/** Environment → service. */
export type EnvironmentMessage =
  | { type: 'ready' }
  | { type: 'init-error'; error: LambdaError }
  | { type: 'result'; requestId: string; payload: string }
  | { type: 'error'; requestId: string; error: LambdaError }
  /** An uncaught exception or unhandled rejection: the runtime exits right after sending it. */
  | { type: 'fatal'; requestId: string | undefined; error: LambdaError }
  | { type: 'log'; requestId: string | undefined; level: LogSource; message: string }
  | ({ type: 'heap' } & HeapReport)
