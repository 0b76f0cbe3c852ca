import { describe, expect, it } from 'vitest'
import { evaluateThresholds, parseThreshold, ThresholdError } from '../../src/loadtest/index.js'
import type { LoadTestResult } from '../../src/loadtest/result.js'

const result = {
  headline: { failureRate: 0.02, p99Ms: 750, averageSuccessLatencyMs: 120 },
  overall: { firstAttemptFailureRate: 0.05 },
  load: { dropped: 0 },
  verify: undefined,
} as unknown as LoadTestResult

describe('thresholds', () => {
  it('pass and fail on the headline metrics', () => {
    const outcomes = evaluateThresholds(result, [
      parseThreshold('failure_rate<0.01', false),
      parseThreshold('p99 < 800', false),
      parseThreshold('avg<=120', false),
      parseThreshold('first_attempt_failure_rate<0.01', false),
    ])
    expect(outcomes.map((outcome) => outcome.passed)).toEqual([false, true, true, false])
    expect(outcomes[0]?.actual).toBe(0.02)
  })

  it('reject unknown metrics, bad syntax and write checks without --verify', () => {
    expect(() => parseThreshold('p98<5', false)).toThrow(/unknown metric 'p98'/)
    expect(() => parseThreshold('p99 less than 5', false)).toThrow(ThresholdError)
    expect(() => parseThreshold('lost_writes==0', false)).toThrow(/needs --verify/)
  })

  it('fail a threshold whose metric has no value', () => {
    const [outcome] = evaluateThresholds(result, [parseThreshold('lost_writes==0', true)])
    expect(outcome).toMatchObject({ actual: undefined, passed: false })
  })
})
