import { EventEmitter } from 'node:events'
import type { ResponseRecord } from './engine/issuer.js'
import { RequestIssuer } from './engine/issuer.js'
import { type LoadPhaseOutcome, runLoadPhase, type TickEvent } from './engine/load-phase.js'
import { checkTarget, type PreflightReport } from './engine/preflight.js'
import { buildResult } from './engine/result-builder.js'
import { runSetup, type SetupReport } from './engine/setup.js'
import { type VerifyReport, verifyWrites } from './engine/verify.js'
import { OptionsError } from './errors.js'
import { HttpTarget } from './http/target.js'
import { EndpointStats } from './metrics/endpoint-stats.js'
import { Timeline } from './metrics/timeline.js'
import type { LoadTestResult } from './result.js'
import type { Scenario } from './scenario/schema.js'
import { evaluateThresholds, parseThreshold, type Threshold } from './thresholds.js'
import { createWorkloadContext } from './workload/context.js'
import { RequestMix } from './workload/mix.js'
import { SeededRandom } from './workload/random.js'

/** Options of one run. Only `baseUrl` and `scenario` are required. */
export interface LoadTestOptions {
  /** The API's base URL, e.g. `http://127.0.0.1:3000` or an API Gateway stage URL. */
  baseUrl: string
  /** A validated scenario (`parseScenario`, `loadScenarioFile`, or `defaultScenario` parsed). */
  scenario: Scenario
  /** Headers sent with every request, e.g. `{ authorization: 'Bearer …' }`. */
  headers?: Record<string, string>
  /**
   * Headers for one virtual user, asked once per user before the load starts (closed model: one
   * per virtual user; open model: `load.virtualUsers` identities that requests rotate through).
   * They are merged over `headers`. Set-up and verification use `headers` only.
   */
  headersForUser?: (userIndex: number) => Record<string, string> | Promise<Record<string, string>>
  /** Retries of a 429 or 503 answer, honouring Retry-After; 0 (the default) measures first attempts. */
  retries?: number
  /** The longest wait before a retry, whatever Retry-After says. Default 5000. */
  maxRetryDelayMs?: number
  /** After the load, read every acknowledged write back and count lost and duplicated ones. */
  verify?: boolean
  /** Threshold expressions such as `p99<800`, judged into `result.thresholds`. */
  thresholds?: readonly string[]
  /** Bounds on the unmeasured steps. Defaults: set-up 120 s, verification 120 s, 8 at a time. */
  setupTimeoutMs?: number
  verifyTimeoutMs?: number
  helperConcurrency?: number
}

/** The events a run emits, in order: preflight, setup (repeatedly), start, tick…, verify, done. */
export interface LoadTestEvents {
  preflight: [PreflightReport]
  setup: [SetupReport]
  start: [StartEvent]
  tick: [TickEvent]
  /** Every finished request; only computed while someone listens. */
  response: [ResponseRecord]
  verify: [{ state: 'started' } | { state: 'finished'; report: VerifyReport }]
  done: [LoadTestResult]
}

export interface StartEvent {
  scenario: string
  model: 'open' | 'closed'
  plannedDurationMs: number
  startedAt: string
}

const DEFAULTS = {
  retries: 0,
  maxRetryDelayMs: 5_000,
  setupTimeoutMs: 120_000,
  verifyTimeoutMs: 120_000,
  helperConcurrency: 8,
}

function checkWhole(name: string, value: number, min: number, max: number): number {
  if (!Number.isInteger(value) || value < min || value > max) {
    throw new OptionsError(
      `option '${name}' must be a whole number from ${min} to ${max}, got ${value}`,
    )
  }
  return value
}

const HEADER_NAME = /^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/

function checkHeaders(headers: Record<string, string>): Record<string, string> {
  const lowered: Record<string, string> = {}
  for (const [name, value] of Object.entries(headers)) {
    if (!HEADER_NAME.test(name))
      throw new OptionsError(`header name '${name}' is not a valid HTTP token`)
    if (typeof value !== 'string' || /[\r\n]/.test(value)) {
      throw new OptionsError(`header '${name}' must have a one-line string value`)
    }
    lowered[name.toLowerCase()] = value
  }
  return lowered
}

/**
 * One load test run against one base URL. Subscribe to events, then `run()` once:
 *
 * ```ts
 * const test = new LoadTest({ baseUrl, scenario: parseScenario(defaultScenario, 'built-in') })
 * test.on('tick', (tick) => console.error(tick.second.sent))
 * const result = await test.run()
 * ```
 *
 * `run()` rejects with an OptionsError, TargetUnreachableError or SetupError before any load is
 * sent; once load has started it always resolves with a result, whatever the target does. The
 * load itself lasts the planned duration plus at most `limits.drainTimeoutMs`.
 */
export class LoadTest extends EventEmitter<LoadTestEvents> {
  readonly #options: LoadTestOptions
  readonly #stop = new AbortController()
  #used = false

  constructor(options: LoadTestOptions) {
    super()
    this.#options = options
  }

  /** Ends sending now; outstanding requests get the usual drain time, then the result is built. */
  stop(): void {
    this.#stop.abort()
  }

  async run(): Promise<LoadTestResult> {
    if (this.#used) throw new OptionsError('a LoadTest runs once; create a new one for another run')
    this.#used = true
    const options = this.#options
    const scenario = options.scenario
    const retries = checkWhole('retries', options.retries ?? DEFAULTS.retries, 0, 10)
    const maxRetryDelayMs = checkWhole(
      'maxRetryDelayMs',
      options.maxRetryDelayMs ?? DEFAULTS.maxRetryDelayMs,
      0,
      600_000,
    )
    const concurrency = checkWhole(
      'helperConcurrency',
      options.helperConcurrency ?? DEFAULTS.helperConcurrency,
      1,
      1000,
    )
    const thresholds: Threshold[] = (options.thresholds ?? []).map((text) =>
      parseThreshold(text, options.verify === true),
    )
    const headers = checkHeaders(options.headers ?? {})

    const target = new HttpTarget(options.baseUrl, {
      connections: scenario.connections,
      requestTimeoutMs: scenario.limits.requestTimeoutMs,
    })
    try {
      const preflight = await checkTarget(target, headers, scenario.limits.requestTimeoutMs)
      this.emit('preflight', preflight)
      const userHeaders = await this.#userHeaders(headers)

      const seed = new SeededRandom(scenario.seed)
      const context = createWorkloadContext(scenario, seed)

      const setup = await runSetup({
        target,
        context,
        headers,
        setup: scenario.setup,
        concurrency,
        timeoutMs: options.setupTimeoutMs ?? DEFAULTS.setupTimeoutMs,
        onProgress: (report) => this.emit('setup', report),
      })
      this.emit('setup', setup)

      const startedAt = new Date()
      const startAt = performance.now()
      const overall = new EndpointStats()
      const endpoints = new Map<string, EndpointStats>()
      const timeline = new Timeline(startAt)
      const issuer = new RequestIssuer({
        target,
        context,
        overall,
        endpointStats: (endpoint) => {
          let stats = endpoints.get(endpoint)
          if (!stats) {
            stats = new EndpointStats()
            endpoints.set(endpoint, stats)
          }
          return stats
        },
        timeline,
        retryPolicy: { retries, maxRetryDelayMs },
        jitterRandom: seed.fork(3),
        onResponse:
          this.listenerCount('response') > 0
            ? (record) => this.emit('response', record)
            : undefined,
      })
      const plannedDurationMs = plannedDurationOf(scenario)
      this.emit('start', {
        scenario: scenario.name,
        model: scenario.load.model,
        plannedDurationMs,
        startedAt: startedAt.toISOString(),
      })

      const phase: LoadPhaseOutcome = await runLoadPhase({
        scenario,
        target,
        issuer,
        overall,
        timeline,
        mix: new RequestMix(scenario.mix),
        kindRandom: seed.fork(4),
        thinkRandom: seed.fork(5),
        userHeaders,
        startAt,
        stop: this.#stop.signal,
        onTick: (tick) => this.emit('tick', tick),
      })

      let verify: VerifyReport | undefined
      if (options.verify) {
        this.emit('verify', { state: 'started' })
        verify = await verifyWrites({
          target,
          ledger: context.ledger,
          headers,
          concurrency,
          timeoutMs: options.verifyTimeoutMs ?? DEFAULTS.verifyTimeoutMs,
        })
        this.emit('verify', { state: 'finished', report: verify })
      }

      const result = buildResult({
        baseUrl: options.baseUrl,
        scenario,
        startedAt,
        endedAt: new Date(),
        stopped: this.#stop.signal.aborted,
        phase,
        overall,
        endpoints,
        timeline,
        setup,
        verify,
        preflight,
        mixShares: new RequestMix(scenario.mix).shares(),
      })
      result.thresholds = evaluateThresholds(result, thresholds)
      this.emit('done', result)
      return result
    } finally {
      await target.destroy()
    }
  }

  async #userHeaders(headers: Record<string, string>): Promise<Record<string, string>[]> {
    const load = this.#options.scenario.load
    const hook = this.#options.headersForUser
    if (!hook) return [headers]
    const users = Array.from({ length: load.virtualUsers }, (_, index) => index)
    return Promise.all(
      users.map(async (index) => ({ ...headers, ...checkHeaders(await hook(index)) })),
    )
  }
}

function plannedDurationOf(scenario: Scenario): number {
  const load = scenario.load
  if (load.model === 'closed') return load.durationSeconds * 1000
  return load.phases.reduce((sum, phase) => sum + phase.durationSeconds * 1000, 0)
}

/** Runs a load test without subscribing to anything; see `LoadTest` for events. */
export function runLoadTest(options: LoadTestOptions): Promise<LoadTestResult> {
  return new LoadTest(options).run()
}
