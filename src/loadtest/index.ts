/**
 * APlusLoadTest: an HTTP load tester for the A+ API that speaks to any base URL.
 *
 * The library API, for the CLI and the experiment:
 * - `LoadTest` / `runLoadTest(options)`: one run; `LoadTest` emits `preflight`, `setup`, `ready`,
 *   `start`, `tick` (each second), `response` (each request, only while listened to), `verify`
 *   and `done`, and `run()` resolves to a `LoadTestResult` (`schemaVersion: 1`).
 * - `parseScenario(value, source)` / `loadScenarioFile(path)` / `defaultScenario`: scenarios,
 *   validated with zod; `scenarioJsonSchema()` is the JSON Schema checked into `schema/`.
 * - `parseThreshold` / `evaluateThresholds`: `p99<800`-style pass/fail checks.
 * - `exportK6Script(scenario, options)`: the same scenario as a k6 script.
 *
 * Errors thrown before any load is sent are `LoadTestError` subclasses: `ScenarioError`,
 * `OptionsError`, `TargetUnreachableError`, `SetupError`, `ThresholdError`.
 */
export { REQUEST_KINDS, type RequestKindName } from './contract.js'
export type { ResponseRecord } from './engine/issuer.js'
export type { TickEvent } from './engine/load-phase.js'
export type { PreflightReport } from './engine/preflight.js'
export type { SetupReport } from './engine/setup.js'
export type { VerifyFinding, VerifyReport } from './engine/verify.js'
export {
  LoadTestError,
  OptionsError,
  ScenarioError,
  SetupError,
  TargetUnreachableError,
  ThresholdError,
} from './errors.js'
export { exportK6Script, type K6ExportOptions } from './export/k6.js'
export { parseBaseUrl } from './http/target.js'
export type { StatsSnapshot } from './metrics/endpoint-stats.js'
export type { LatencySummary } from './metrics/latency-histogram.js'
export { ERROR_CLASSES, type ErrorClass } from './metrics/outcome.js'
export type { TimelineSecond } from './metrics/timeline.js'
export {
  type Headline,
  type LoadTestResult,
  RESULT_SCHEMA_VERSION,
  type ThresholdOutcome,
} from './result.js'
export {
  LoadTest,
  type LoadTestEvents,
  type LoadTestOptions,
  runLoadTest,
  type StartEvent,
} from './runner.js'
export { defaultScenario } from './scenario/default.js'
export { scenarioJsonSchema } from './scenario/json-schema.js'
export { jsonPath, loadScenarioFile, parseScenario } from './scenario/load.js'
export {
  mixSchema,
  type Phase,
  type Scenario,
  type ScenarioInput,
  setupSchema,
} from './scenario/schema.js'
export {
  evaluateThresholds,
  parseThreshold,
  THRESHOLD_METRICS,
  type Threshold,
} from './thresholds.js'
