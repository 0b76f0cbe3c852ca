import { EventEmitter } from 'node:events'
import type { ResponseRecord } from './engine/issuer.js'
import { RequestIssuer } from './engine/issuer.js'
import { runLoadPhase, type TickEvent } from './engine/load-phase.js'
import { checkTarget, type PreflightReport } from './engine/preflight.js'
import { buildResult } from './engine/result-builder.js'
import { runSetup, type SetupReport } from './engine/setup.js'
import { type VerifyReport, verifyWrites } from './engine/verify.js'
import { OptionsError } from './errors.js'
import { HttpTarget } from './http/target.js'
import { EndpointStats } from './metrics/endpoint-stats.js'
import { Timeline } from './metrics/timeline.js'
import { checkHeaders, type LoadTestOptions, type RunSettings, settingsOf } from './options.js'
import type { LoadTestResult } from './result.js'
import type { Scenario } from './scenario/schema.js'
import { evaluateThresholds } from './thresholds.js'
import { createWorkloadContext } from './workload/context.js'
import type { WorkloadContext } from './workload/kinds.js'
import type { WriteLedger } from './workload/ledger.js'
import { RequestMix } from './workload/mix.js'
import { SeededRandom } from './workload/random.js'

/** The events a run emits, in order: preflight, setup (repeatedly), ready, start, tick…, verify, done. */
export interface LoadTestEvents {
  preflight: [PreflightReport]
  setup: [SetupReport]
  /**
   * The set-up is done and the load is about to start. Listeners run first: one that must
   * prepare the target (reset its counters, say) does it here, before the first measured request.
   */
  ready: [SetupReport]
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
  /** What the run's target acknowledged, kept for verifyAt(). */
  #ledger: WriteLedger | undefined

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
    const settings = settingsOf(options)
    const target = new HttpTarget(options.baseUrl, {
      connections: scenario.connections,
      requestTimeoutMs: scenario.limits.requestTimeoutMs,
    })
    try {
      const preflight = await checkTarget(
        target,
        settings.headers,
        scenario.limits.requestTimeoutMs,
      )
      this.emit('preflight', preflight)
      const userHeaders = await this.#userHeaders(settings.headers)
      const seed = new SeededRandom(scenario.seed)
      const context = createWorkloadContext(scenario, seed)
      this.#ledger = context.ledger

      const setup = await runSetup({
        target,
        context,
        headers: settings.headers,
        setup: scenario.setup,
        concurrency: settings.concurrency,
        timeoutMs: settings.setupTimeoutMs,
        onProgress: (report) => this.emit('setup', report),
      })
      this.emit('setup', setup)
      this.emit('ready', setup)

      const measured = await this.#measure(target, context, seed, userHeaders, settings)
      const verify = options.verify ? await this.#verify(target, context, settings) : undefined

      const result = buildResult({
        ...measured,
        baseUrl: options.baseUrl,
        scenario,
        endedAt: new Date(),
        stopped: this.#stop.signal.aborted,
        setup,
        verify,
        preflight,
        mixShares: new RequestMix(scenario.mix).shares(),
      })
      result.thresholds = evaluateThresholds(result, settings.thresholds)
      this.emit('done', result)
      return result
    } finally {
      await target.destroy()
    }
  }

  /** The measured part: statistics set up, `start` emitted, the load run and drained. */
  async #measure(
    target: HttpTarget,
    context: WorkloadContext,
    seed: SeededRandom,
    userHeaders: Record<string, string>[],
    settings: RunSettings,
  ) {
    const scenario = this.#options.scenario
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
      retryPolicy: { retries: settings.retries, maxRetryDelayMs: settings.maxRetryDelayMs },
      jitterRandom: seed.fork(3),
      onResponse:
        this.listenerCount('response') > 0 ? (record) => this.emit('response', record) : undefined,
    })
    this.emit('start', {
      scenario: scenario.name,
      model: scenario.load.model,
      plannedDurationMs: plannedDurationOf(scenario),
      startedAt: startedAt.toISOString(),
    })

    const phase = await runLoadPhase({
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
    return { startedAt, phase, overall, endpoints, timeline }
  }

  /**
   * After `run()`, reads every write the run's target acknowledged back from `baseUrl` (the
   * run's own by default): for instance from a new instance of the target started on the same
   * data, to show that a restart lost nothing. Bounded by `verifyTimeoutMs` like `--verify`.
   */
  async verifyAt(baseUrl: string = this.#options.baseUrl): Promise<VerifyReport> {
    const ledger = this.#ledger
    if (!ledger) throw new OptionsError('verifyAt() reads back a run: call run() first')
    const settings = settingsOf(this.#options)
    const target = new HttpTarget(baseUrl, {
      connections: this.#options.scenario.connections,
      requestTimeoutMs: this.#options.scenario.limits.requestTimeoutMs,
    })
    try {
      return await verifyWrites({
        target,
        ledger,
        headers: settings.headers,
        concurrency: settings.concurrency,
        timeoutMs: settings.verifyTimeoutMs,
      })
    } finally {
      await target.destroy()
    }
  }

  async #verify(target: HttpTarget, context: WorkloadContext, settings: RunSettings) {
    this.emit('verify', { state: 'started' })
    const report = await verifyWrites({
      target,
      ledger: context.ledger,
      headers: settings.headers,
      concurrency: settings.concurrency,
      timeoutMs: settings.verifyTimeoutMs,
    })
    this.emit('verify', { state: 'finished', report })
    return report
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

export type { LoadTestOptions } from './options.js'
