import { describe, expect, it } from 'vitest'
import {
  FaultConfigError,
  injectsAnything,
  resolveFaults,
} from '../../../src/local/faults/config.js'
import {
  CloudConfigError,
  parseCloudConfig,
  resolveCloudSettings,
} from '../../../src/local/settings.js'

describe('fault settings', () => {
  it('inject nothing by default', () => {
    const faults = resolveFaults()
    expect(injectsAnything(faults)).toBe(false)
    expect(faults.dynamodb).toMatchObject({
      internalErrorRate: 0,
      latencyRate: 1,
      afterWorkShare: 0,
    })
    expect(faults.lambda).toMatchObject({ crashRate: 0, initFailureRate: 0 })
  })

  it('refuse rates outside 0 to 1, rates that add up past 1 and bad distributions, naming the key', () => {
    const cases = [
      [{ dynamodb: { internalErrorRate: 1.5 } }, 'faults.dynamodb.internalErrorRate'],
      [{ dynamodb: { internalErrorRate: 0.6, unavailableRate: 0.6 } }, 'must not exceed 1'],
      [
        { dynamodb: { latencyMs: { distribution: 'uniform', minMs: 9, maxMs: 3 } } },
        'faults.dynamodb.latencyMs',
      ],
      [{ dynamodb: { latencyMs: -4 } }, 'faults.dynamodb.latencyMs'],
      [{ lambda: { crashRate: -0.1 } }, 'faults.lambda.crashRate'],
      [{ lambda: { crashes: 0.1 } }, 'faults.lambda'],
      [{ seed: 1.5 }, 'faults.seed'],
    ] as const
    for (const [input, key] of cases) {
      expect(() => resolveFaults(input), JSON.stringify(input)).toThrow(FaultConfigError)
      expect(() => resolveFaults(input), JSON.stringify(input)).toThrow(key)
    }
  })

  it('are read from the dev settings file, and refuse a function the topology lacks', () => {
    const layer = parseCloudConfig(
      JSON.stringify({
        faults: { seed: 4, lambda: { crashRate: 0.1, functions: ['enrollments'] } },
      }),
      'dev.json',
    )
    expect(resolveCloudSettings('services', layer).faults.lambda).toMatchObject({
      crashRate: 0.1,
      functions: ['enrollments'],
    })
    expect(() => resolveCloudSettings('monolith', layer)).toThrow(CloudConfigError)
    expect(() => resolveCloudSettings('monolith', layer)).toThrow(
      "faults.lambda.functions: no function named 'enrollments'",
    )
    expect(() =>
      parseCloudConfig(
        JSON.stringify({ faults: { dynamodb: { internalErrorRate: 2 } } }),
        'dev.json',
      ),
    ).toThrow('faults.dynamodb.internalErrorRate')
  })

  it('take the whole faults object from the last layer that sets it', () => {
    const settings = resolveCloudSettings(
      'monolith',
      { faults: resolveFaults({ seed: 1, dynamodb: { internalErrorRate: 0.2 } }) },
      { faults: resolveFaults({ seed: 2, lambda: { crashRate: 0.1 } }) },
    )
    expect(settings.faults.seed).toBe(2)
    expect(settings.faults.dynamodb.internalErrorRate).toBe(0)
    expect(settings.faults.lambda.crashRate).toBe(0.1)
  })
})
