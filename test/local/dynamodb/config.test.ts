import { describe, expect, it } from 'vitest'
import {
  AWS_BURST_SECONDS,
  GovernorConfigError,
  resolveGovernorConfig,
} from '../../../src/local/dynamodb/governor/config.js'

describe('the governor config', () => {
  it('fills in AWS defaults and the documented choices', () => {
    const config = resolveGovernorConfig({})
    expect(config.burstSeconds).toBe(AWS_BURST_SECONDS)
    expect(config.startingBalance).toBe('full')
    expect(config.partitionCeiling).toEqual({
      enabled: true,
      readUnitsPerSecond: 3000,
      writeUnitsPerSecond: 1000,
    })
    expect(config.onDemand.warmWriteUnitsPerSecond).toBe(4000)
    expect(config.onDemand.warmReadUnitsPerSecond).toBe(12_000)
    expect(config.autoScaling.scaleOutPeriods).toBe(2)
    expect(config.autoScaling.scaleInPeriods).toBe(15)
  })

  it('accepts a starting balance as empty, full or seconds', () => {
    expect(resolveGovernorConfig({ startingBalance: 'empty' }).startingBalance).toBe('empty')
    expect(resolveGovernorConfig({ startingBalance: 30 }).startingBalance).toBe(30)
  })

  it.each([
    [{ burstSeconds: -1 }, "option 'burstSeconds'"],
    [{ burstSeconds: 'lots' }, "option 'burstSeconds'"],
    [{ startingBalance: 'half' }, "option 'startingBalance'"],
    [{ onDemand: { warmWriteUnitsPerSecond: 0 } }, "option 'onDemand.warmWriteUnitsPerSecond'"],
    [{ autoScaling: { timeScale: -2 } }, "option 'autoScaling.timeScale'"],
    [
      {
        autoScaling: {
          tables: { aplus: { maxReadUnits: 10, maxWriteUnits: 10, targetUtilizationPercent: 95 } },
        },
      },
      "option 'autoScaling.tables.aplus.targetUtilizationPercent'",
    ],
    [{ burstSecond: 300 }, 'burstSecond'],
  ])('rejects %j, naming the option', (input, named) => {
    expect(() => resolveGovernorConfig(input)).toThrow(GovernorConfigError)
    expect(() => resolveGovernorConfig(input)).toThrow(named)
  })
})
