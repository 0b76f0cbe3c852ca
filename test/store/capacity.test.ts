import { describe, expect, it } from 'vitest'
import {
  CapacitySpecError,
  formatCapacitySpec,
  parseCapacitySpec,
} from '../../src/store/capacity.js'
import { createTableInput } from '../../src/store/table.js'

describe('the capacity spec', () => {
  it('reads provisioned units for the table and, by default, the same for the index', () => {
    expect(parseCapacitySpec('provisioned:25/10')).toEqual({
      mode: 'provisioned',
      table: { readUnits: 25, writeUnits: 10 },
      index: { readUnits: 25, writeUnits: 10 },
    })
  })

  it('reads separate index units, auto scaling and on-demand caps', () => {
    expect(parseCapacitySpec('provisioned:25/25,index=5/5,autoscale=400/200,target=50')).toEqual({
      mode: 'provisioned',
      table: { readUnits: 25, writeUnits: 25 },
      index: { readUnits: 5, writeUnits: 5 },
      autoScaling: { max: { readUnits: 400, writeUnits: 200 }, targetUtilizationPercent: 50 },
    })
    expect(parseCapacitySpec('on-demand')).toEqual({ mode: 'on-demand' })
    expect(parseCapacitySpec('on-demand,max=100/50')).toEqual({
      mode: 'on-demand',
      max: { readUnits: 100, writeUnits: 50 },
    })
  })

  it('writes back what it reads', () => {
    for (const text of [
      'provisioned:25/25',
      'provisioned:25/25,index=5/5',
      'provisioned:5/5,autoscale=100/100,target=70',
      'on-demand',
      'on-demand,max=10/10',
    ]) {
      expect(formatCapacitySpec(parseCapacitySpec(text))).toBe(text)
    }
  })

  it.each([
    ['reserved:25/25', "capacity mode must be 'provisioned' or 'on-demand'"],
    ['provisioned', 'provisioned needs units like provisioned:25/25'],
    ['provisioned:25', 'provisioned units must be READ/WRITE whole numbers'],
    ['provisioned:-1/25', 'provisioned units must be READ/WRITE whole numbers'],
    ['provisioned:0/25', 'provisioned units must be READ/WRITE whole numbers'],
    ['provisioned:ten/25', 'provisioned units must be READ/WRITE whole numbers'],
    ['provisioned:25/25,burst=5', "unknown capacity option 'burst'"],
    [
      'provisioned:25/25,autoscale=10/10',
      "autoscale maximum 10/10 is below the table's provisioned units",
    ],
    [
      'provisioned:25/25,autoscale=50/50,target=95',
      'target must be a whole percentage from 20 to 90',
    ],
    ['provisioned:25/25,target=70', 'target= needs autoscale='],
    ['on-demand:25/25', 'on-demand takes no units'],
    ['on-demand,index=5/5', "unknown capacity option 'index'"],
    ['provisioned:25/25,index', "expected name=value after ','"],
  ])('refuses %s, naming the problem', (text, message) => {
    expect(() => parseCapacitySpec(text)).toThrow(CapacitySpecError)
    expect(() => parseCapacitySpec(text)).toThrow(message)
  })
})

describe('the table definition', () => {
  it('declares provisioned units for the table and its index', () => {
    const input = createTableInput('aplus', parseCapacitySpec('provisioned:25/25,index=5/6'))
    expect(input.BillingMode).toBe('PROVISIONED')
    expect(input.ProvisionedThroughput).toEqual({ ReadCapacityUnits: 25, WriteCapacityUnits: 25 })
    expect(input.GlobalSecondaryIndexes?.[0]?.ProvisionedThroughput).toEqual({
      ReadCapacityUnits: 5,
      WriteCapacityUnits: 6,
    })
  })

  it('declares pay-per-request with its caps and no provisioned units', () => {
    const input = createTableInput('aplus', parseCapacitySpec('on-demand,max=100/50'))
    expect(input.BillingMode).toBe('PAY_PER_REQUEST')
    expect(input.ProvisionedThroughput).toBeUndefined()
    expect(input.OnDemandThroughput).toEqual({ MaxReadRequestUnits: 100, MaxWriteRequestUnits: 50 })
    expect(input.GlobalSecondaryIndexes?.[0]?.OnDemandThroughput).toEqual(input.OnDemandThroughput)
  })
})
