import { describe, expect, it } from 'vitest'
import { billedGbSeconds, estimateCost } from '../../src/experiment/cost.js'

describe('the cost model', () => {
  it('prices a million requests on a provisioned table held for an hour', () => {
    const cost = estimateCost({
      apiRequests: 1_000_000,
      apiKind: 'http',
      lambdaInvocations: 1_000_000,
      lambdaGbSeconds: 1_000_000 * billedGbSeconds(20, 128),
      durationSeconds: 3600,
      capacity: { mode: 'provisioned', readUnits: 50, writeUnits: 50 },
    })
    expect(cost.apiGatewayUsd).toBeCloseTo(1.0, 10)
    expect(cost.lambdaRequestsUsd).toBeCloseTo(0.2, 10)
    // 20 ms × 0.125 GB = 0.0025 GB-s per invocation.
    expect(cost.lambdaDurationUsd).toBeCloseTo(2500 * 0.0000133334, 10)
    expect(cost.dynamodbUsd).toBeCloseTo(50 * 0.00013 + 50 * 0.00065, 10)
    expect(cost.perMillionRequestsUsd).toBeCloseTo(cost.totalUsd, 10)
  })

  it('prices on-demand by the request units consumed', () => {
    const cost = estimateCost({
      apiRequests: 500_000,
      apiKind: 'rest',
      lambdaInvocations: 0,
      lambdaGbSeconds: 0,
      durationSeconds: 60,
      capacity: { mode: 'on-demand', readRequestUnits: 2_000_000, writeRequestUnits: 1_000_000 },
    })
    expect(cost.apiGatewayUsd).toBeCloseTo(1.75, 10)
    expect(cost.dynamodbUsd).toBeCloseTo(2 * 0.125 + 0.625, 10)
    expect(cost.perMillionRequestsUsd).toBeCloseTo(cost.totalUsd * 2, 10)
  })

  it('has no per-request cost when nothing was requested', () => {
    const cost = estimateCost({
      apiRequests: 0,
      apiKind: 'http',
      lambdaInvocations: 0,
      lambdaGbSeconds: 0,
      durationSeconds: 60,
      capacity: { mode: 'provisioned', readUnits: 25, writeUnits: 25 },
    })
    expect(cost.perMillionRequestsUsd).toBeUndefined()
    expect(cost.totalUsd).toBeGreaterThan(0)
  })

  it('rounds billed duration up to the millisecond', () => {
    expect(billedGbSeconds(1.2, 1024)).toBeCloseTo(0.002, 10)
  })
})
