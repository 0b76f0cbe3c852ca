import { describe, expect, it } from 'vitest'
import { resolveGovernorConfig } from '../../../src/local/dynamodb/governor/config.js'
import {
  OnDemandLimiter,
  ProvisionedLimiter,
} from '../../../src/local/dynamodb/governor/limiters.js'
import { PartitionCeilings } from '../../../src/local/dynamodb/governor/partitions.js'
import { TokenBucket } from '../../../src/local/dynamodb/governor/token-bucket.js'

const SECOND_MS = 1000

describe('the token bucket', () => {
  it('refills at its rate up to its capacity', () => {
    const bucket = new TokenBucket(10, 50, 0, 0)
    expect(bucket.balanceUnits(1500)).toBeCloseTo(15)
    expect(bucket.balanceUnits(60_000)).toBe(50)
  })

  it('admits while the balance is positive and lets one charge take it below zero', () => {
    const bucket = new TokenBucket(1, 1, 0.5, 0)
    expect(bucket.hasCapacity(0)).toBe(true)
    bucket.take(400, 0)
    expect(bucket.balanceUnits(0)).toBe(-399.5)
    expect(bucket.hasCapacity(399_000)).toBe(false)
    expect(bucket.hasCapacity(400_000)).toBe(true)
  })

  it('cuts the balance to a lowered capacity and refills at the new rate', () => {
    const bucket = new TokenBucket(10, 100, 100, 0)
    bucket.reconfigure(2, 20, 0)
    expect(bucket.balanceUnits(0)).toBe(20)
    bucket.take(20, 0)
    expect(bucket.balanceUnits(5 * SECOND_MS)).toBeCloseTo(10)
  })
})

describe('provisioned capacity with burst', () => {
  it('holds one second of throughput plus 300 seconds of unused capacity', () => {
    const limiter = new ProvisionedLimiter(10, 300, 'full', 0)
    expect(limiter.state(0).balanceUnits).toBe(3010)
    expect(limiter.state(0).capacityUnits).toBe(3010)
  })

  it('drains at consumption minus the provisioned rate and refills at the provisioned rate', () => {
    const provisionedUnits = 10
    const limiter = new ProvisionedLimiter(provisionedUnits, 300, 'full', 0)
    // A client consuming 25 units a second drains the burst at 15 units a second.
    for (let second = 0; second < 100; second += 1) limiter.charge(25, second * SECOND_MS)
    expect(limiter.state(100 * SECOND_MS).balanceUnits).toBeCloseTo(3010 - 100 * 15)
    // Idle, it refills at 10 units a second until full again.
    expect(limiter.state(150 * SECOND_MS).balanceUnits).toBeCloseTo(3010 - 1500 + 500)
    expect(limiter.state(400 * SECOND_MS).balanceUnits).toBe(3010)
  })

  it('starts empty, full or with a number of seconds of throughput', () => {
    expect(new ProvisionedLimiter(5, 300, 'empty', 0).state(0).balanceUnits).toBe(0)
    expect(new ProvisionedLimiter(5, 300, 60, 0).state(0).balanceUnits).toBe(300)
    expect(new ProvisionedLimiter(5, 0, 'full', 0).state(0).balanceUnits).toBe(5)
  })

  it('refuses with ProvisionedThroughputExceeded once the balance is spent', () => {
    const limiter = new ProvisionedLimiter(1, 0, 'full', 0)
    expect(limiter.refusal(0)).toBeUndefined()
    limiter.charge(1, 0)
    expect(limiter.refusal(0)).toBe('ProvisionedThroughputExceeded')
    expect(limiter.refusal(500)).toBeUndefined()
  })
})

describe('on-demand capacity', () => {
  const settings = resolveGovernorConfig({}).onDemand

  it('serves its warm throughput at once, without a burst balance', () => {
    const limiter = new OnDemandLimiter(4000, settings, undefined, 0)
    expect(limiter.state(0).limitUnitsPerSecond).toBe(4000)
    limiter.charge(4000, 0)
    expect(limiter.refusal(0)).toBe('KeyRangeThroughputExceeded')
    expect(limiter.state(10 * SECOND_MS).balanceUnits).toBe(4000)
  })

  it('doubles a sustained peak only after thirty minutes', () => {
    const limiter = new OnDemandLimiter(4000, settings, undefined, 0)
    limiter.recordSecond(4000, SECOND_MS)
    expect(limiter.state(29 * 60 * SECOND_MS).limitUnitsPerSecond).toBe(4000)
    expect(limiter.state(31 * 60 * SECOND_MS).limitUnitsPerSecond).toBe(8000)
  })

  it('is capped by its maximum, and says so in the refusal', () => {
    const limiter = new OnDemandLimiter(4000, settings, 100, 0)
    expect(limiter.state(0).limitUnitsPerSecond).toBe(100)
    limiter.charge(100, 0)
    expect(limiter.refusal(0)).toBe('MaxOnDemandThroughputExceeded')
    limiter.setMax(undefined, 0)
    expect(limiter.state(0).limitUnitsPerSecond).toBe(4000)
  })
})

describe('per-partition ceilings', () => {
  it('stop one partition key at 1,000 write units a second while others go on', () => {
    const ceilings = new PartitionCeilings(resolveGovernorConfig({}).partitionCeiling)
    ceilings.charge('hot', 'write', 1000, 0)
    expect(ceilings.hasCapacity('hot', 'write', 0)).toBe(false)
    expect(ceilings.hasCapacity('cold', 'write', 0)).toBe(true)
    expect(ceilings.hasCapacity('hot', 'read', 0)).toBe(true)
    expect(ceilings.hasCapacity('hot', 'write', 100)).toBe(true)
  })

  it('forget keys whose second has refilled', () => {
    const ceilings = new PartitionCeilings(resolveGovernorConfig({}).partitionCeiling)
    ceilings.charge('a', 'read', 10, 0)
    ceilings.sweep(0)
    expect(ceilings.trackedKeys).toBe(1)
    ceilings.sweep(SECOND_MS)
    expect(ceilings.trackedKeys).toBe(0)
  })
})
