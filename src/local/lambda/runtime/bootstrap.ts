/**
 * The runtime inside one execution environment (a worker thread): it plays the part of Lambda's
 * Node.js runtime client. It imports the function's bundle once (the init phase), then runs one
 * invocation at a time as the service sends them, with a `context` like Lambda's, console output
 * tagged with the request id, and errors reported in Lambda's shapes. An uncaught exception or an
 * unhandled rejection is reported and ends the environment, as it ends Lambda's runtime process.
 *
 * This file is bundled on its own by esbuild and run as the worker's code; it is never imported.
 */
import { pathToFileURL } from 'node:url'
import { format } from 'node:util'
import { getHeapStatistics } from 'node:v8'
import { runInNewContext } from 'node:vm'
import { parentPort, workerData } from 'node:worker_threads'
import type {
  EnvironmentData,
  EnvironmentMessage,
  HeapRequest,
  InvokeMessage,
  LambdaError,
  LogLevel,
} from './protocol.js'

type Handler = (event: unknown, context: unknown, callback: Callback) => unknown
type Callback = (error?: unknown, result?: unknown) => void

const port = parentPort
if (!port) throw new Error('the Lambda runtime bootstrap must run in a worker thread')
const data = workerData as EnvironmentData
let currentRequestId: string | undefined

const send = (message: EnvironmentMessage) => port.postMessage(message)

function formatError(error: unknown): LambdaError {
  if (error instanceof Error) {
    return {
      errorType: error.name,
      errorMessage: error.message,
      trace: error.stack?.split('\n') ?? [],
    }
  }
  return { errorType: typeof error, errorMessage: String(error), trace: [] }
}

function patchConsole(): void {
  const levels: [keyof Console, LogLevel][] = [
    ['trace', 'TRACE'],
    ['debug', 'DEBUG'],
    ['info', 'INFO'],
    ['log', 'INFO'],
    ['warn', 'WARN'],
    ['error', 'ERROR'],
  ]
  for (const [method, level] of levels) {
    const write = (...args: unknown[]) =>
      send({ type: 'log', requestId: currentRequestId, level, message: format(...args) })
    Object.defineProperty(console, method, { value: write, configurable: true, writable: true })
  }
}

/** Raw output not yet ended by a newline, per stream. */
const partialLines = { STDOUT: '', STDERR: '' }

/**
 * Raw writes to stdout and stderr travel the same port as console output, tagged with the
 * request running when they are written. The worker's own stdout stream reaches the service
 * later than port messages, so a line written just before the result would otherwise land after
 * it, attributed to no request or to the next one.
 */
function patchOutputStreams(): void {
  for (const [stream, level] of [
    [process.stdout, 'STDOUT'],
    [process.stderr, 'STDERR'],
  ] as const) {
    const write = (chunk: unknown, encodingOrDone?: unknown, done?: unknown): boolean => {
      const text =
        typeof chunk === 'string' ? chunk : Buffer.from(chunk as Uint8Array).toString('utf8')
      const lines = (partialLines[level] + text).split('\n')
      partialLines[level] = lines.pop() ?? ''
      for (const message of lines)
        send({ type: 'log', requestId: currentRequestId, level, message })
      const callback = typeof encodingOrDone === 'function' ? encodingOrDone : done
      if (typeof callback === 'function') queueMicrotask(() => callback())
      return true
    }
    Object.defineProperty(stream, 'write', { value: write, configurable: true, writable: true })
  }
}

/** Sends what is left of an unfinished line, so it is attributed to the request that wrote it. */
function flushPartialLines(): void {
  for (const level of ['STDOUT', 'STDERR'] as const) {
    if (partialLines[level] === '') continue
    send({ type: 'log', requestId: currentRequestId, level, message: partialLines[level] })
    partialLines[level] = ''
  }
}

function exitWithFatal(error: LambdaError, exitCode: number): void {
  flushPartialLines()
  send({ type: 'fatal', requestId: currentRequestId, error })
  process.exit(exitCode)
}

process.on('uncaughtException', (error) => exitWithFatal(formatError(error), 129))
process.on('unhandledRejection', (reason) => {
  const described = formatError(reason)
  exitWithFatal(
    {
      errorType: 'Runtime.UnhandledPromiseRejection',
      errorMessage: `${described.errorType}: ${described.errorMessage}`,
      trace: described.trace ?? [],
    },
    128,
  )
})

/** Lambda's classification of a failed import. */
function importError(error: unknown): LambdaError {
  if (error instanceof SyntaxError) {
    return {
      ...formatError(error),
      errorType: 'Runtime.UserCodeSyntaxError',
      errorMessage: String(error),
    }
  }
  const code = (error as { code?: unknown } | null)?.code
  if (code === 'ERR_MODULE_NOT_FOUND' || code === 'MODULE_NOT_FOUND') {
    return {
      ...formatError(error),
      errorType: 'Runtime.ImportModuleError',
      errorMessage: String(error),
    }
  }
  return formatError(error)
}

async function loadHandler(): Promise<Handler | LambdaError> {
  let module: Record<string, unknown>
  try {
    module = (await import(pathToFileURL(data.bundleFile).href)) as Record<string, unknown>
  } catch (error) {
    return importError(error)
  }
  const handler = module[data.handlerExport]
  if (handler === undefined) {
    return {
      errorType: 'Runtime.HandlerNotFound',
      errorMessage: `${data.handlerSetting} is undefined or not exported`,
    }
  }
  if (typeof handler !== 'function') {
    return {
      errorType: 'Runtime.HandlerNotFound',
      errorMessage: `${data.handlerSetting} is not a function`,
    }
  }
  return handler as Handler
}

function contextFor(message: InvokeMessage) {
  return {
    functionName: data.functionName,
    functionVersion: data.functionVersion,
    invokedFunctionArn: data.invokedFunctionArn,
    memoryLimitInMB: String(data.memoryMb),
    awsRequestId: message.requestId,
    logGroupName: data.logGroupName,
    logStreamName: data.logStreamName,
    callbackWaitsForEmptyEventLoop: true,
    getRemainingTimeInMillis: () => Math.max(0, message.deadlineEpochMs - Date.now()),
  }
}

/** Calls the handler; an async handler's promise or a callback handler's callback settles it. */
function callHandler(handler: Handler, event: unknown, context: unknown): Promise<unknown> {
  return new Promise((resolve, reject) => {
    const callback: Callback = (error, result) =>
      error === undefined || error === null ? resolve(result) : reject(error)
    const returned = handler(event, context, callback)
    if (returned !== null && typeof (returned as PromiseLike<unknown>)?.then === 'function') {
      ;(returned as PromiseLike<unknown>).then(resolve, reject)
    } else if (handler.length < 3) {
      resolve(returned)
    }
  })
}

/** The exit status of a process killed by SIGKILL, as a shell reports it (128 + 9). */
const KILLED_EXIT_STATUS = 137

/** An injected crash: the runtime dies as a killed process would, mid-request, answering nothing. */
function crashNow(): never {
  process.exit(KILLED_EXIT_STATUS)
}

async function invoke(handler: Handler, message: InvokeMessage): Promise<void> {
  currentRequestId = message.requestId
  const crash =
    message.crashAfterMs === undefined ? undefined : setTimeout(crashNow, message.crashAfterMs)
  try {
    const result = await callHandler(handler, JSON.parse(message.eventJson), contextFor(message))
    flushPartialLines()
    if (crash) crashNow()
    let payload: string
    try {
      payload = JSON.stringify(result) ?? 'null'
    } catch {
      const error = {
        errorType: 'Runtime.JSONStringifyError',
        errorMessage: 'Unable to stringify response body',
      }
      send({ type: 'error', requestId: message.requestId, error })
      return
    }
    send({ type: 'result', requestId: message.requestId, payload })
  } catch (thrown) {
    flushPartialLines()
    if (crash) crashNow()
    const error = formatError(thrown)
    console.error('Invoke Error', JSON.stringify(error))
    send({ type: 'error', requestId: message.requestId, error })
  }
}

/**
 * Reports this environment's V8 heap for the local cloud's own measurements (aplus soak); with
 * `collect`, after a full collection, when the process exposes gc (the soak turns it on), so the
 * figure is what the environment retains rather than what it has not yet collected.
 */
function reportHeap(collect: boolean): void {
  if (collect) {
    const gc = runInNewContext('typeof gc === "function" ? gc : undefined') as
      | (() => void)
      | undefined
    gc?.()
  }
  const heap = getHeapStatistics()
  send({
    type: 'heap',
    usedHeapBytes: heap.used_heap_size,
    totalHeapBytes: heap.total_heap_size,
    heapLimitBytes: heap.heap_size_limit,
  })
}

async function main(): Promise<void> {
  patchConsole()
  patchOutputStreams()
  const loaded = await loadHandler()
  if (typeof loaded !== 'function') {
    send({ type: 'init-error', error: loaded })
    return
  }
  if (data.failInit) {
    // An injected init failure: the bundle loaded (its init cost is real), then init throws.
    const error = new Error(
      'init failed: fault injected by the local cloud (faults.lambda.initFailureRate)',
    )
    send({ type: 'init-error', error: formatError(error) })
    return
  }
  port?.on('message', (message: InvokeMessage | HeapRequest) => {
    if (message.type === 'heap') reportHeap(message.collect)
    else void invoke(loaded, message)
  })
  send({ type: 'ready' })
}

void main()
