import { describe, expect, it } from 'vitest'
import { InfraConfigError } from '../../src/infra/errors.js'
import {
  DEFAULT_CONTEXT,
  parseReservedConcurrency,
  settingsFromContext,
  stackNameOf,
} from '../../src/infra/settings.js'
import { DEFAULT_CAPACITY } from '../../src/store/capacity.js'
import { cdkJsonContext } from './synth.js'

const fromContext = (context: Record<string, unknown>) => settingsFromContext((key) => context[key])

describe('the deployment settings from CDK context', () => {
  it('default to the monolith on the always-free table with SDK defaults', () => {
    expect(fromContext({})).toEqual({
      topology: 'monolith',
      capacity: DEFAULT_CAPACITY,
      storeProfile: 'sdk-defaults',
      reservedConcurrency: {},
      identity: { provider: 'cognito' },
    })
    expect(stackNameOf('per-route')).toBe('APlus-per-route')
  })

  it('have the same defaults in cdk.json as in the code', () => {
    const context = cdkJsonContext()
    expect({ topology: context.topology, capacity: context.capacity }).toEqual(DEFAULT_CONTEXT)
    expect(fromContext(context)).toEqual(fromContext({}))
  })

  it('read every key as the CLI passes it, as strings', () => {
    expect(
      fromContext({
        topology: 'services',
        capacity: 'on-demand,max=100/50',
        storeProfile: 'sdk-defaults',
        reservedConcurrency: 'enrollments=10, grades=0',
        jwtIssuer: 'https://idp.example',
        jwtAudience: 'aplus',
      }),
    ).toEqual({
      topology: 'services',
      capacity: { mode: 'on-demand', max: { readUnits: 100, writeUnits: 50 } },
      storeProfile: 'sdk-defaults',
      reservedConcurrency: { enrollments: 10, grades: 0 },
      identity: {
        provider: 'oidc',
        issuer: 'https://idp.example',
        audiences: ['aplus'],
        scopePrefix: '',
      },
    })
  })

  it.each([
    [
      { topology: 'microservices' },
      "context 'topology' must be one of monolith, services, per-route; got 'microservices'",
    ],
    [{ topology: 3 }, "context 'topology' must be a string; got 3"],
    [
      { capacity: 'provisioned' },
      "context 'capacity': provisioned needs units like provisioned:25/25",
    ],
    [
      { capacity: 'reserved:5' },
      "context 'capacity': capacity mode must be 'provisioned' or 'on-demand'",
    ],
    [
      { storeProfile: 'fast' },
      "context 'storeProfile': must be one of sdk-defaults, seed-era, resilient, adaptive; got 'fast'",
    ],
    [
      { reservedConcurrency: 'students=5' },
      "context 'reservedConcurrency': 'students' is not a function of the monolith topology; its functions are monolith",
    ],
    [
      { topology: 'services', reservedConcurrency: 'students=-1' },
      "context 'reservedConcurrency': reserved concurrency of 'students' must be a whole number of at least 0; got '-1'",
    ],
    [
      { topology: 'services', reservedConcurrency: 'students' },
      "context 'reservedConcurrency': expected FUNCTION=COUNT pairs like students=10; got 'students'",
    ],
    [
      { reservedConcurrency: [5] },
      "context 'reservedConcurrency': expected FUNCTION=COUNT pairs or an object of counts; got [5]",
    ],
  ])('refuse %j, naming the context key', (context, message) => {
    expect(() => fromContext(context)).toThrow(InfraConfigError)
    expect(() => fromContext(context)).toThrow(message)
  })
})

describe('reserved concurrency', () => {
  it('is read from an object in cdk.json as well as from FUNCTION=COUNT pairs', () => {
    expect(parseReservedConcurrency({ health: 1, fallback: 2 }, 'per-route')).toEqual({
      health: 1,
      fallback: 2,
    })
    expect(parseReservedConcurrency('monolith=100', 'monolith')).toEqual({ monolith: 100 })
    expect(parseReservedConcurrency('', 'monolith')).toEqual({})
  })

  it('is derived from the table and the retry budget with reservedConcurrency=derived', () => {
    const settings = fromContext({
      topology: 'per-route',
      capacity: 'provisioned:25/25',
      storeProfile: 'resilient',
      reservedConcurrency: 'derived',
    })
    // The rule of src/topology/admission.ts: 30 units per 1.2 s window, routes weighted alike.
    expect(settings.reservedConcurrency).toEqual({
      'create-student': 3,
      'create-course': 3,
      'enroll-student': 3,
      'record-grade': 3,
    })
  })

  it.each(['1.5', 'ten', '', '1e3'])('refuses a count of %j', (count) => {
    expect(() => parseReservedConcurrency({ monolith: count }, 'monolith')).toThrow(
      'must be a whole number of at least 0',
    )
  })
})
