import { describe, expect, it } from 'vitest'
import {
  type AccountLimits,
  ConcurrencyGovernor,
  DEFAULT_ACCOUNT_LIMITS,
  type Lease,
} from '../../../src/local/lambda/concurrency.js'
import { LambdaConfigError } from '../../../src/local/lambda/errors.js'
import {
  eventsOf,
  STATEFUL_HANDLER,
  serviceClosedAfterEachTest,
} from '../../support/lambda-fixtures.js'

function fakeClock() {
  let nowMs = 0
  return { clock: () => nowMs, advance: (ms: number) => (nowMs += ms) }
}

const account = (overrides: Partial<AccountLimits> = {}) => ({
  ...DEFAULT_ACCOUNT_LIMITS,
  ...overrides,
})

function admitted(governor: ConcurrencyGovernor, name: string, placement: Lease['placement']) {
  const admission = governor.admit(name, placement)
  if (!admission.admitted) throw new Error(`throttled: ${admission.reason}`)
  return admission.lease
}

describe('the concurrency governor', () => {
  it('caps a function at its reserved concurrency and frees a slot on release', () => {
    const governor = new ConcurrencyGovernor(account(), [{ name: 'f', reservedConcurrency: 2 }])
    const first = admitted(governor, 'f', 'new')
    admitted(governor, 'f', 'new')
    expect(governor.admit('f', 'warm')).toEqual({
      admitted: false,
      reason: 'ReservedFunctionConcurrentInvocationLimitExceeded',
    })
    governor.release(first)
    expect(governor.admit('f', 'warm').admitted).toBe(true)
  })

  it('keeps reserved concurrency out of the pool the other functions share', () => {
    const governor = new ConcurrencyGovernor(
      account({ accountConcurrency: 5, minimumUnreservedConcurrency: 2 }),
      [{ name: 'reserved', reservedConcurrency: 3 }, { name: 'a' }, { name: 'b' }],
    )
    admitted(governor, 'a', 'new')
    admitted(governor, 'b', 'new')
    expect(governor.unreservedAvailable()).toBe(0)
    expect(governor.admit('a', 'new')).toEqual({
      admitted: false,
      reason: 'ConcurrentInvocationLimitExceeded',
    })
    for (let index = 0; index < 3; index += 1) admitted(governor, 'reserved', 'new')
  })

  it('serves provisioned environments from their own allocation, not the unreserved pool', () => {
    const governor = new ConcurrencyGovernor(
      account({ accountConcurrency: 3, minimumUnreservedConcurrency: 1 }),
      [{ name: 'warm', provisionedConcurrency: 2 }],
    )
    expect(governor.unreservedAvailable()).toBe(1)
    admitted(governor, 'warm', 'provisioned')
    admitted(governor, 'warm', 'provisioned')
    admitted(governor, 'warm', 'new')
    expect(governor.admit('warm', 'new').admitted).toBe(false)
  })

  it('spends the scaling rate on new environments only, refilling it continuously', () => {
    const { clock, advance } = fakeClock()
    const governor = new ConcurrencyGovernor(
      account({ scalingEnvironments: 2, scalingWindowMs: 1000 }),
      [{ name: 'f' }],
      clock,
    )
    admitted(governor, 'f', 'new')
    admitted(governor, 'f', 'new')
    expect(governor.admit('f', 'new')).toEqual({
      admitted: false,
      reason: 'FunctionInvocationRateLimitExceeded',
    })
    expect(governor.admit('f', 'warm').admitted).toBe(true)
    advance(499)
    expect(governor.admit('f', 'new').admitted).toBe(false)
    advance(1)
    expect(governor.admit('f', 'new').admitted).toBe(true)
  })

  it('allows 10 invocations per second per unit of reserved concurrency', () => {
    const { clock, advance } = fakeClock()
    const governor = new ConcurrencyGovernor(
      account(),
      [{ name: 'f', reservedConcurrency: 1 }],
      clock,
    )
    for (let index = 0; index < 10; index += 1) governor.release(admitted(governor, 'f', 'warm'))
    expect(governor.admit('f', 'warm')).toEqual({
      admitted: false,
      reason: 'ReservedFunctionInvocationRateLimitExceeded',
    })
    advance(100)
    expect(governor.admit('f', 'warm').admitted).toBe(true)
  })

  it('refuses reservations AWS would refuse, naming the function and the numbers', () => {
    expect(
      () =>
        new ConcurrencyGovernor(account(), [
          { name: 'f', reservedConcurrency: 2, provisionedConcurrency: 3 },
        ]),
    ).toThrow("function 'f': provisioned concurrency 3 exceeds its reserved concurrency 2")
    expect(
      () => new ConcurrencyGovernor(account(), [{ name: 'f', reservedConcurrency: 950 }]),
    ).toThrow(LambdaConfigError)
    expect(
      () =>
        new ConcurrencyGovernor(account({ accountConcurrency: 10 }), [
          { name: 'f', reservedConcurrency: 1 },
        ]),
    ).toThrow("leave 9 of the account's 10 unreserved; at least 10 must stay unreserved")
  })
})

describe('the Lambda service under load', () => {
  const start = serviceClosedAfterEachTest()

  it('runs 2 of 10 simultaneous slow invocations with reserved concurrency 2 and throttles 8, queueing none', async () => {
    const { service, events } = await start([
      { name: 'slow', reservedConcurrency: 2, source: STATEFUL_HANDLER },
    ])
    const results = await Promise.all(
      Array.from({ length: 10 }, () => service.invoke('slow', JSON.stringify({ sleepMs: 300 }))),
    )
    const throttled = results.filter((result) => result.status === 'throttled')
    expect(results.filter((result) => result.status === 'success')).toHaveLength(2)
    expect(throttled).toHaveLength(8)
    expect(throttled[0]).toEqual({
      status: 'throttled',
      statusCode: 429,
      errorType: 'TooManyRequestsException',
      reason: 'ReservedFunctionConcurrentInvocationLimitExceeded',
      message: 'Rate Exceeded.',
      retryAfterSeconds: 1,
    })
    expect(eventsOf(events, 'invocation-throttled')).toHaveLength(8)
    expect(service.environments('slow').total).toBe(2)
  })

  it('throttles every invocation of a function with reserved concurrency 0', async () => {
    const { service } = await start([
      { name: 'off', reservedConcurrency: 0, source: STATEFUL_HANDLER },
    ])
    const result = await service.invoke('off', '{}')
    expect(result).toMatchObject({
      status: 'throttled',
      reason: 'ReservedFunctionConcurrentInvocationLimitExceeded',
    })
    expect(service.environments('off').total).toBe(0)
  })

  it('shares a small account quota between functions and throttles the one over it', async () => {
    const { service } = await start(
      [
        { name: 'a', source: STATEFUL_HANDLER },
        { name: 'b', source: STATEFUL_HANDLER },
      ],
      { account: { accountConcurrency: 3 } },
    )
    const event = JSON.stringify({ sleepMs: 300 })
    const results = await Promise.all([
      service.invoke('a', event),
      service.invoke('a', event),
      service.invoke('b', event),
      service.invoke('b', event),
    ])
    expect(results.map((result) => result.status)).toEqual([
      'success',
      'success',
      'success',
      'throttled',
    ])
    expect(results[3]).toMatchObject({ reason: 'ConcurrentInvocationLimitExceeded' })
  })
})
