import { describe, expect, it } from 'vitest'
import { CapacitySpecError, parseCapacitySpec } from '../../src/store/capacity.js'

describe('a capacity spec with auto scaling', () => {
  it('takes the provisioned units of the table and the index as the minimum', () => {
    expect(parseCapacitySpec('provisioned:25/25,index=10/10,autoscale=400/400,target=50')).toEqual({
      mode: 'provisioned',
      table: { readUnits: 25, writeUnits: 25 },
      index: { readUnits: 10, writeUnits: 10 },
      autoScaling: { max: { readUnits: 400, writeUnits: 400 }, targetUtilizationPercent: 50 },
    })
  })

  it('is refused when the maximum is below the index units, naming the index', () => {
    const parse = () => parseCapacitySpec('provisioned:25/25,index=100/100,autoscale=50/50')
    expect(parse).toThrow(CapacitySpecError)
    expect(parse).toThrow("below the index's provisioned units 100/100")
  })

  it('is refused when the maximum is below the table units, naming the table', () => {
    expect(() => parseCapacitySpec('provisioned:25/25,autoscale=20/400')).toThrow(
      "below the table's provisioned units 25/25",
    )
  })
})
