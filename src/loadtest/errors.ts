/** Base class of every error the load tester throws on purpose. */
export class LoadTestError extends Error {
  override readonly name: string = 'LoadTestError'
}

/**
 * A scenario that cannot run: unknown keys, wrong types, impossible phases. `source` is the file
 * (or `built-in`), `path` the JSON path of the bad key, e.g. `$.load.phases[1].ratePerSecond`.
 */
export class ScenarioError extends LoadTestError {
  override readonly name = 'ScenarioError'

  constructor(
    readonly source: string,
    readonly problems: readonly { path: string; message: string }[],
    options?: ErrorOptions,
  ) {
    const lines = problems.map((problem) => `  ${source} at ${problem.path}: ${problem.message}`)
    super(`invalid scenario ${source}:\n${lines.join('\n')}`, options)
  }
}

/** Run options that contradict each other or are out of range (checked before any request). */
export class OptionsError extends LoadTestError {
  override readonly name = 'OptionsError'
}

/** The pre-flight request found no server, or a server that is clearly not the A+ API. */
export class TargetUnreachableError extends LoadTestError {
  override readonly name = 'TargetUnreachableError'
}

/** The set-up step could not create the students, courses and enrollments the load refers to. */
export class SetupError extends LoadTestError {
  override readonly name = 'SetupError'
}

/** A threshold expression such as `p99<800` that does not parse or names an unknown metric. */
export class ThresholdError extends LoadTestError {
  override readonly name = 'ThresholdError'
}
