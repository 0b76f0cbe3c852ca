import { describe, expect, it } from 'vitest'
import {
  CloudConfigError,
  parseCloudConfig,
  resolveCloudSettings,
} from '../../src/local/settings.js'

describe('the local cloud settings', () => {
  it("default to AWS's values", () => {
    const settings = resolveCloudSettings('monolith')
    expect(settings.lambda).toMatchObject({
      accountConcurrency: 1000,
      minimumUnreservedConcurrency: 100,
      scalingEnvironments: 1000,
      scalingWindowMs: 10_000,
      idleReclaimMs: 600_000,
      coldStartDelayMs: 250,
      functions: {},
    })
    expect(settings.gateway).toEqual({
      api: 'http',
      payloadFormat: '2.0',
      ratePerSecond: 10_000,
      burst: 5_000,
      throttledInvoke: 'server-error',
    })
  })

  it('layer a config file under the flags, function by function', () => {
    const file = parseCloudConfig(
      JSON.stringify({
        lambda: {
          accountConcurrency: 200,
          functions: { students: { reservedConcurrency: 5, memoryMb: 256 } },
        },
        gateway: { api: 'rest' },
      }),
      'aplus.json',
    )
    const settings = resolveCloudSettings('services', file, {
      lambda: { functions: { students: { reservedConcurrency: 2 } } },
    })
    expect(settings.lambda.accountConcurrency).toBe(200)
    expect(settings.lambda.functions.students).toEqual({ reservedConcurrency: 2, memoryMb: 256 })
    expect(settings.gateway).toMatchObject({ api: 'rest', payloadFormat: '1.0' })
  })

  it('name the function that is not in the topology and list the real ones', () => {
    expect(() =>
      resolveCloudSettings('services', {
        lambda: { functions: { nosuchfn: { reservedConcurrency: 3 } } },
      }),
    ).toThrow(
      "lambda.functions.nosuchfn: no function named 'nosuchfn' in the services topology; its functions are: students, courses, enrollments, grades, health, fallback",
    )
  })

  it('name the key of a bad number, a wrong type or an unknown setting', () => {
    const problems = [
      [{ lambda: { accountConcurrency: -1 } }, 'lambda.accountConcurrency'],
      [{ lambda: { coldStartDelayMs: 'fast' } }, 'lambda.coldStartDelayMs'],
      [
        { lambda: { functions: { monolith: { timeoutSeconds: 1.5 } } } },
        'lambda.functions.monolith.timeoutSeconds',
      ],
      [
        { lambda: { functions: { monolith: { memoryMb: 64 } } } },
        'lambda.functions.monolith.memoryMb',
      ],
      [{ gateway: { api: 'graphql' } }, 'gateway.api'],
      [{ gateway: { burst: 0 } }, 'gateway.burst'],
      [{ lambda: { idleReclaim: 5 } }, 'lambda'],
      [
        { gateway: { authorizer: { issuer: 'idp', audiences: ['a'], jwks: { keys: [{}] } } } },
        'gateway.authorizer.issuer',
      ],
      [
        { gateway: { authorizer: { issuer: 'https://idp', audiences: [], jwks: { keys: [{}] } } } },
        'gateway.authorizer.audiences',
      ],
      [
        {
          gateway: { authorizer: { issuer: 'https://idp', audiences: ['a'], jwks: { keys: [] } } },
        },
        'gateway.authorizer.jwks.keys',
      ],
      [
        { gateway: { authorizer: { issuer: 'https://idp', audiences: ['a'], jwks: {}, x: 1 } } },
        'gateway.authorizer',
      ],
    ] as const
    for (const [config, key] of problems) {
      expect(() => parseCloudConfig(JSON.stringify(config), 'cloud.json'), key).toThrow(
        new RegExp(`^cloud\\.json: ${key.replaceAll('.', '\\.')}`),
      )
    }
  })

  it('refuse text that is not JSON, and a REST API with payload 2.0', () => {
    expect(() => parseCloudConfig('{"lambda": ', 'cloud.json')).toThrow(CloudConfigError)
    expect(() => parseCloudConfig('{"lambda": ', 'cloud.json')).toThrow(
      /^cloud\.json is not valid JSON/,
    )
    expect(() =>
      resolveCloudSettings('monolith', { gateway: { api: 'rest', payloadFormat: '2.0' } }),
    ).toThrow('gateway.payloadFormat: a REST API sends payload 1.0 only')
  })

  it('refuse reservations that leave less than the minimum unreserved', () => {
    expect(() =>
      resolveCloudSettings('monolith', {
        lambda: { accountConcurrency: 50, functions: { monolith: { reservedConcurrency: 10 } } },
      }),
    ).toThrow(
      "leave 40 of the account's 50 unreserved; at least 50 must stay unreserved (lambda.minimumUnreservedConcurrency lowers that minimum)",
    )
  })
})
