// Purpose-built servers answer any path; tests use listCourses, the one kind that needs no data.
import {
  type LoadTestResult,
  parseScenario,
  type Scenario,
  type ScenarioInput,
} from '../../src/loadtest/index.js'

/** A small scenario with no set-up, for tests against purpose-built servers. */
export function scenarioOf(overrides: Partial<ScenarioInput>): Scenario {
  return parseScenario(
    {
      name: 'test',
      setup: { students: 0, courses: 0, enrollments: 0 },
      load: {
        model: 'open',
        phases: [{ type: 'constant', ratePerSecond: 50, durationSeconds: 1 }],
      },
      mix: [{ request: 'listCourses', weight: 1 }],
      ...overrides,
    },
    'test',
  )
}

/** The errors of a result as a plain object with only the classes that occurred. */
export function errorsOf(result: LoadTestResult): Record<string, number> {
  return Object.fromEntries(
    Object.entries(result.overall.errorClasses).filter(([, count]) => count > 0),
  )
}
