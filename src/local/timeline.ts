/**
 * The local cloud's per-second timeline: what every function and the gateway did in each second
 * since the cloud started. It is built from the Lambda service's events and the gateway's
 * request records, streamed to subscribers as each second closes, and exported as JSON.
 *
 * Reading it:
 * - `cloud.timeline.subscribe(listener)` gets a `TimelineEvent` of type `second` once per
 *   second (empty seconds included, so a subscriber can draw a steady axis), and `stopped` with
 *   the export when the cloud closes.
 * - `cloud.timeline.export()` returns a `TimelineExport` at any time: the closed seconds so far
 *   plus the open one. `JSON.stringify` of it is the file `aplus dev --timeline FILE` writes.
 * - Seconds are numbered from 0 at `startedAtEpochMs`; an event belongs to the second of its
 *   wall-clock time. Durations are the handler's (invoke phase), in milliseconds.
 */

import type { GatewayRequestRecord } from './gateway/server.js'
import type { ThrottleReason } from './lambda/concurrency.js'
import type { InvocationFinished, LambdaEvent } from './lambda/events.js'

export const TIMELINE_FORMAT_VERSION = 1

export interface FunctionSecond {
  /** Invocations admitted (started) in this second. */
  invocations: number
  /** The most invocations running at once at any moment of this second. */
  concurrencyPeak: number
  /** New execution environments initialized in this second (provisioned ones included). */
  coldStarts: number
  /** Invocations refused with 429 TooManyRequestsException. */
  throttles: number
  throttlesByReason: Partial<Record<ThrottleReason, number>>
  /** Invocations that ended in a function error of any kind (timeouts and crashes included). */
  errors: number
  timeouts: number
  /** Handler durations of the invocations that finished in this second; null when none did. */
  durationMs: { p50: number; p99: number; max: number } | null
  /** GB-seconds billed for the invocations that finished in this second. */
  billedGbSeconds: number
  /** Faults injected on purpose (src/local/faults): environments crashed, inits failed. */
  faults: { crashes: number; initFailures: number }
}

export interface GatewaySecond {
  requests: number
  /** Responses by HTTP status code, e.g. `{ "200": 950, "500": 50 }`. */
  byStatus: Record<string, number>
}

export interface TimelineSecond {
  /** Index from 0, the second the cloud started. */
  second: number
  startEpochMs: number
  /** Every function of the topology, idle ones included. */
  functions: Record<string, FunctionSecond>
  gateway: GatewaySecond
}

export interface TimelineExport {
  version: typeof TIMELINE_FORMAT_VERSION
  startedAtEpochMs: number
  functions: string[]
  seconds: TimelineSecond[]
}

export type TimelineEvent =
  | { type: 'second'; second: TimelineSecond }
  | { type: 'stopped'; timeline: TimelineExport }

export type TimelineListener = (event: TimelineEvent) => void

interface OpenSecond {
  second: TimelineSecond
  durations: Map<string, number[]>
}

export class Timeline {
  private readonly seconds: TimelineSecond[] = []
  private readonly listeners = new Set<TimelineListener>()
  private readonly running = new Map<string, number>()
  private open: OpenSecond
  private readonly ticker: NodeJS.Timeout
  private stopped = false

  constructor(
    private readonly functionNames: readonly string[],
    readonly startedAtEpochMs: number = Date.now(),
  ) {
    for (const name of functionNames) this.running.set(name, 0)
    this.open = this.openSecond(0)
    // Closes seconds in which nothing happened; events close them too, as they arrive.
    this.ticker = setInterval(() => this.advanceTo(Date.now()), 250)
    this.ticker.unref()
  }

  subscribe(listener: TimelineListener): () => void {
    this.listeners.add(listener)
    return () => this.listeners.delete(listener)
  }

  /** Takes one event of the Lambda service into the current second. */
  recordLambda(event: LambdaEvent): void {
    if (event.type === 'log' || event.type === 'environment-stopped') return
    this.advanceTo(event.atEpochMs)
    const current = this.open.second.functions[event.functionName]
    if (!current) return
    switch (event.type) {
      case 'invocation-started':
        current.invocations += 1
        this.setRunning(event.functionName, event.concurrency, current)
        break
      case 'invocation-finished':
        this.recordFinished(event, current)
        break
      case 'invocation-throttled':
        current.throttles += 1
        current.throttlesByReason[event.reason] = (current.throttlesByReason[event.reason] ?? 0) + 1
        break
      case 'cold-start':
        current.coldStarts += 1
        break
      case 'fault-injected':
        if (event.kind === 'crash') current.faults.crashes += 1
        else current.faults.initFailures += 1
        break
    }
  }

  /** Takes one gateway request into the current second. */
  recordRequest(record: GatewayRequestRecord): void {
    this.advanceTo(record.atEpochMs + record.durationMs)
    const gateway = this.open.second.gateway
    gateway.requests += 1
    const status = String(record.statusCode)
    gateway.byStatus[status] = (gateway.byStatus[status] ?? 0) + 1
  }

  /** The closed seconds plus the open one, as the JSON file holds them. */
  export(): TimelineExport {
    return {
      version: TIMELINE_FORMAT_VERSION,
      startedAtEpochMs: this.startedAtEpochMs,
      functions: [...this.functionNames],
      seconds: this.stopped ? [...this.seconds] : [...this.seconds, this.summarize(this.open)],
    }
  }

  /** Closes the open second and tells subscribers the timeline is complete. */
  stop(): void {
    if (this.stopped) return
    clearInterval(this.ticker)
    this.close(this.open)
    this.stopped = true
    this.emit({ type: 'stopped', timeline: this.export() })
  }

  private recordFinished(event: InvocationFinished, current: FunctionSecond): void {
    if (event.outcome !== 'success') current.errors += 1
    if (event.outcome === 'timeout') current.timeouts += 1
    current.billedGbSeconds += event.billedGbSeconds
    this.open.durations.get(event.functionName)?.push(event.durationMs)
    this.setRunning(event.functionName, event.concurrency, current)
  }

  private setRunning(functionName: string, concurrency: number, current: FunctionSecond): void {
    this.running.set(functionName, concurrency)
    current.concurrencyPeak = Math.max(current.concurrencyPeak, concurrency)
  }

  /** Closes every second before the one `atEpochMs` falls in. Late events join the open one. */
  private advanceTo(atEpochMs: number): void {
    if (this.stopped) return
    const index = Math.floor((atEpochMs - this.startedAtEpochMs) / 1000)
    while (this.open.second.second < index) {
      this.close(this.open)
      this.open = this.openSecond(this.open.second.second + 1)
    }
  }

  private close(open: OpenSecond): void {
    const summary = this.summarize(open)
    this.seconds.push(summary)
    this.emit({ type: 'second', second: summary })
  }

  private summarize(open: OpenSecond): TimelineSecond {
    const functions: Record<string, FunctionSecond> = {}
    for (const [name, values] of Object.entries(open.second.functions)) {
      functions[name] = {
        ...values,
        throttlesByReason: { ...values.throttlesByReason },
        faults: { ...values.faults },
        durationMs: percentiles(open.durations.get(name) ?? []),
      }
    }
    return { ...open.second, functions, gateway: { ...open.second.gateway } }
  }

  private openSecond(index: number): OpenSecond {
    const functions: Record<string, FunctionSecond> = {}
    const durations = new Map<string, number[]>()
    for (const name of this.functionNames) {
      functions[name] = {
        invocations: 0,
        // Invocations still running from the previous second count toward this one's peak.
        concurrencyPeak: this.running.get(name) ?? 0,
        coldStarts: 0,
        throttles: 0,
        throttlesByReason: {},
        errors: 0,
        timeouts: 0,
        durationMs: null,
        billedGbSeconds: 0,
        faults: { crashes: 0, initFailures: 0 },
      }
      durations.set(name, [])
    }
    return {
      second: {
        second: index,
        startEpochMs: this.startedAtEpochMs + index * 1000,
        functions,
        gateway: { requests: 0, byStatus: {} },
      },
      durations,
    }
  }

  private emit(event: TimelineEvent): void {
    for (const listener of this.listeners) listener(event)
  }
}

/** Exact nearest-rank percentiles of one second's durations. */
function percentiles(values: number[]): FunctionSecond['durationMs'] {
  if (values.length === 0) return null
  const sorted = [...values].sort((a, b) => a - b)
  const rank = (fraction: number) =>
    sorted[Math.max(0, Math.ceil(fraction * sorted.length) - 1)] ?? 0
  return { p50: rank(0.5), p99: rank(0.99), max: sorted[sorted.length - 1] ?? 0 }
}
