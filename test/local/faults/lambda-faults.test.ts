import { afterEach, describe, expect, it } from 'vitest'
import { resolveFaults } from '../../../src/local/faults/config.js'
import { LambdaFaults } from '../../../src/local/faults/lambda.js'
import {
  eventsOf,
  payloadOf,
  STATEFUL_HANDLER,
  startTestService,
  type TestService,
} from '../../support/lambda-fixtures.js'

const services: TestService[] = []
afterEach(async () => {
  await Promise.all(services.splice(0).map((service) => service.close()))
})

async function serviceWith(lambda: Record<string, unknown>, seed = 7) {
  const service = await startTestService([{ name: 'app', source: STATEFUL_HANDLER }], {
    faults: resolveFaults({ seed, lambda }),
  })
  services.push(service)
  return service
}

type InvokeResult = Awaited<ReturnType<TestService['service']['invoke']>>

/** Invokes one at a time and says what each invocation came to. */
async function outcomes(service: TestService, count: number, raw: InvokeResult[] = []) {
  const results: string[] = []
  for (let index = 0; index < count; index += 1) {
    const result = await service.service.invoke('app', JSON.stringify({}))
    raw.push(result)
    results.push(
      result.status === 'success'
        ? `ok:${payloadOf(result).environmentId}`
        : result.status === 'function-error'
          ? `${result.outcome}:${result.error.errorType}`
          : result.status,
    )
  }
  return results
}

describe('injected Lambda faults', () => {
  it('kills the environment mid-request: Runtime.ExitError, and the next request gets a new one', async () => {
    const started = await serviceWith({ crashRate: 0.4 })
    const { events } = started
    const raw: InvokeResult[] = []
    const seen = await outcomes(started, 20, raw)
    const crashes = seen.filter((outcome) => outcome === 'crash:Runtime.ExitError')
    expect(crashes.length).toBeGreaterThan(2)
    expect(crashes.length).toBeLessThan(18)
    expect(
      seen.every((outcome) => outcome.startsWith('ok:') || outcome === 'crash:Runtime.ExitError'),
    ).toBe(true)

    // After each crash the next successful request runs in an environment never seen before.
    const environmentsBefore = new Set<string>()
    for (const [index, outcome] of seen.entries()) {
      if (outcome.startsWith('ok:') && seen[index - 1]?.startsWith('crash:')) {
        expect(environmentsBefore.has(outcome)).toBe(false)
      }
      if (outcome.startsWith('ok:')) environmentsBefore.add(outcome)
    }
    const finished = eventsOf(events, 'invocation-finished').filter(
      (event) => event.outcome === 'crash',
    )
    const faults = eventsOf(events, 'fault-injected')
    expect(faults.map((fault) => fault.kind)).toEqual(crashes.map(() => 'crash'))
    expect(finished).toHaveLength(crashes.length)
    const crashed = raw.find((result) => result.status === 'function-error')
    expect(crashed).toMatchObject({
      error: {
        errorMessage: expect.stringMatching(
          /^RequestId: [0-9a-f-]{36} Error: Runtime exited with error: signal: killed$/,
        ),
      },
    })
  })

  it('makes a new environment fail its init, and keeps none of them', async () => {
    const { service, events } = await serviceWith({ initFailureRate: 1 })
    const result = await service.invoke('app', '{}')
    expect(result).toMatchObject({
      status: 'function-error',
      outcome: 'init-error',
      error: { errorType: 'Error', errorMessage: expect.stringContaining('fault injected') },
    })
    expect(service.environments('app').total).toBe(0)
    expect(eventsOf(events, 'fault-injected')).toEqual([
      expect.objectContaining({ kind: 'init-failure', functionName: 'app' }),
    ])
  })

  it('reproduces the same faults from the same seed, and others from another seed', async () => {
    const shape = (seen: string[]) => seen.map((outcome) => outcome.split(':')[0])
    const first = shape(
      await outcomes(await serviceWith({ crashRate: 0.3, initFailureRate: 0.3 }, 11), 16),
    )
    const again = shape(
      await outcomes(await serviceWith({ crashRate: 0.3, initFailureRate: 0.3 }, 11), 16),
    )
    const other = shape(
      await outcomes(await serviceWith({ crashRate: 0.3, initFailureRate: 0.3 }, 12), 16),
    )
    expect(again).toEqual(first)
    expect(other).not.toEqual(first)
    expect(first).toContain('crash')
    expect(first).toContain('init-error')
  })

  it("gives each function its own streams, so one function's traffic does not move another's faults", () => {
    const settings = resolveFaults({ seed: 3, lambda: { crashRate: 0.5 } }).lambda
    const alone = new LambdaFaults(settings, 3)
    const busy = new LambdaFaults(settings, 3)
    const aloneSequence = Array.from({ length: 50 }, () => alone.crashAfterMs('a') !== undefined)
    const busySequence = Array.from({ length: 50 }, () => {
      busy.crashAfterMs('b')
      busy.initFails('a')
      return busy.crashAfterMs('a') !== undefined
    })
    expect(busySequence).toEqual(aloneSequence)
  })

  it('spares functions not named in faults.lambda.functions', () => {
    const faults = new LambdaFaults(
      resolveFaults({ lambda: { crashRate: 1, functions: ['a'] } }).lambda,
      1,
    )
    expect(faults.crashAfterMs('a')).toBeDefined()
    expect(faults.crashAfterMs('b')).toBeUndefined()
  })
})
