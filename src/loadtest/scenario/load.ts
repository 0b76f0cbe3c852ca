import { jsonPath, problemsOf, readValidatedFile } from '../../config/validated-file.js'
import { ScenarioError } from '../errors.js'
import { type Scenario, scenarioSchema } from './schema.js'

export { jsonPath }

/**
 * Validates an already-parsed scenario value; `source` names it in errors (a file path or
 * `built-in`). Throws a ScenarioError listing every problem with its JSON path.
 */
export function parseScenario(value: unknown, source: string): Scenario {
  const parsed = scenarioSchema.safeParse(value)
  if (!parsed.success) throw new ScenarioError(source, problemsOf(parsed.error))
  return parsed.data
}

/** Reads a scenario file (JSON or YAML, by content) and validates it. */
export function loadScenarioFile(filePath: string): Promise<Scenario> {
  return readValidatedFile(
    filePath,
    scenarioSchema,
    (problems, cause) =>
      new ScenarioError(filePath, problems, cause === undefined ? undefined : { cause }),
  )
}
