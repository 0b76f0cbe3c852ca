import { OptionsError } from './errors.js'
import type { Scenario } from './scenario/schema.js'
import { parseThreshold, type Threshold } from './thresholds.js'

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

export function checkHeaders(headers: Record<string, string>): Record<string, string> {
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

/** The options of a run, checked, with defaults applied. */
export interface RunSettings {
  retries: number
  maxRetryDelayMs: number
  concurrency: number
  thresholds: Threshold[]
  headers: Record<string, string>
  setupTimeoutMs: number
  verifyTimeoutMs: number
}

/** Checks every option before anything is sent; throws an OptionsError or ThresholdError. */
export function settingsOf(options: LoadTestOptions): RunSettings {
  return {
    retries: checkWhole('retries', options.retries ?? DEFAULTS.retries, 0, 10),
    maxRetryDelayMs: checkWhole(
      'maxRetryDelayMs',
      options.maxRetryDelayMs ?? DEFAULTS.maxRetryDelayMs,
      0,
      600_000,
    ),
    concurrency: checkWhole(
      'helperConcurrency',
      options.helperConcurrency ?? DEFAULTS.helperConcurrency,
      1,
      1000,
    ),
    thresholds: (options.thresholds ?? []).map((text) =>
      parseThreshold(text, options.verify === true),
    ),
    headers: checkHeaders(options.headers ?? {}),
    setupTimeoutMs: checkWhole(
      'setupTimeoutMs',
      options.setupTimeoutMs ?? DEFAULTS.setupTimeoutMs,
      1,
      3_600_000,
    ),
    verifyTimeoutMs: checkWhole(
      'verifyTimeoutMs',
      options.verifyTimeoutMs ?? DEFAULTS.verifyTimeoutMs,
      1,
      3_600_000,
    ),
  }
}
