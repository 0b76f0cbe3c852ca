import { describe, expect, it } from 'vitest'
import { UnknownFunctionError } from '../../../src/local/lambda/errors.js'
import {
  eventsOf,
  payloadOf,
  STATEFUL_HANDLER,
  serviceClosedAfterEachTest,
  until,
} from '../../support/lambda-fixtures.js'

const start = serviceClosedAfterEachTest()

/** Fails the way the event says: throw, exit, throw from a timer, reject unhandled, or answer. */
const FAILING_HANDLER = `
let invocations = 0
export const handler = async (event) => {
  invocations += 1
  if (event.throw) throw new TypeError('bad input: ' + event.throw)
  if (event.exit) process.exit(event.exit)
  if (event.timerThrow) {
    setTimeout(() => { throw new RangeError('thrown from a timer') }, 5)
    await new Promise((resolve) => setTimeout(resolve, 200))
  }
  if (event.reject) Promise.reject(new Error('nobody awaits this'))
  if (event.sleepMs) await new Promise((resolve) => setTimeout(resolve, event.sleepMs))
  if (event.bigint) return { total: 10n }
  return { invocations }
}
`

describe('a failing function', () => {
  it("is stopped at its timeout with Lambda's message, and its environment is not reused", async () => {
    const { service, events } = await start([
      { name: 'spinner', timeoutSeconds: 0.5, source: STATEFUL_HANDLER },
      { name: 'bystander', source: STATEFUL_HANDLER },
    ])
    const first = payloadOf(await service.invoke('spinner', '{}'))

    const [spun, bystander] = await Promise.all([
      service.invoke('spinner', JSON.stringify({ spin: true })),
      service.invoke('bystander', JSON.stringify({ sleepMs: 100 })),
    ])
    expect(spun).toMatchObject({
      status: 'function-error',
      outcome: 'timeout',
      error: {
        errorType: 'Sandbox.Timedout',
        errorMessage: expect.stringMatching(
          /^RequestId: \S+ Error: Task timed out after 0\.50 seconds$/,
        ),
      },
    })
    expect(payloadOf(bystander).invocations).toBe(1)

    const after = payloadOf(await service.invoke('spinner', '{}'))
    expect(after.environmentId).not.toBe(first.environmentId)
    expect(after.invocations).toBe(1)
    expect(eventsOf(events, 'environment-stopped').map((event) => event.reason)).toContain(
      'timeout',
    )
  })

  it('answers a thrown error as a function error and keeps its environment', async () => {
    const { service } = await start([{ name: 'thrower', source: FAILING_HANDLER }])
    const failed = await service.invoke('thrower', JSON.stringify({ throw: 'no name' }))
    expect(failed).toMatchObject({
      status: 'function-error',
      outcome: 'error',
      error: { errorType: 'TypeError', errorMessage: 'bad input: no name' },
    })
    if (failed.status === 'function-error') expect(failed.error.trace?.[0]).toContain('TypeError')
    expect(payloadOf(await service.invoke('thrower', '{}')).invocations).toBe(2)
    expect(service.environments('thrower').total).toBe(1)
  })

  it('reports process.exit as Runtime.ExitError and discards only that environment', async () => {
    const { service } = await start([{ name: 'exiter', source: FAILING_HANDLER }])
    const [exited, healthy] = await Promise.all([
      service.invoke('exiter', JSON.stringify({ exit: 3, sleepMs: 0 })),
      service.invoke('exiter', JSON.stringify({ sleepMs: 150 })),
    ])
    expect(exited).toMatchObject({
      status: 'function-error',
      outcome: 'crash',
      error: {
        errorType: 'Runtime.ExitError',
        errorMessage: expect.stringMatching(/Runtime exited with error: exit status 3$/),
      },
    })
    expect(payloadOf(healthy).invocations).toBe(1)
    expect(service.environments('exiter').total).toBe(1)
    expect(payloadOf(await service.invoke('exiter', '{}')).invocations).toBe(2)
  })

  it('reports an uncaught exception from a timer and an unhandled rejection, then replaces the environment', async () => {
    const { service, events } = await start([{ name: 'leaky', source: FAILING_HANDLER }])
    const fromTimer = await service.invoke('leaky', JSON.stringify({ timerThrow: true }))
    expect(fromTimer).toMatchObject({
      status: 'function-error',
      error: { errorType: 'RangeError', errorMessage: 'thrown from a timer' },
    })
    const rejected = await service.invoke('leaky', JSON.stringify({ reject: true, sleepMs: 50 }))
    expect(rejected).toMatchObject({
      status: 'function-error',
      error: {
        errorType: 'Runtime.UnhandledPromiseRejection',
        errorMessage: 'Error: nobody awaits this',
      },
    })
    expect(payloadOf(await service.invoke('leaky', '{}')).invocations).toBe(1)
    expect(eventsOf(events, 'cold-start')).toHaveLength(3)
  })

  it('that ends its environment after answering loses that environment only', async () => {
    const { service, events } = await start([
      {
        name: 'late-crash',
        source: `let invocations = 0
        export const handler = async (event) => {
          invocations += 1
          if (event.crashLater) setTimeout(() => process.exit(7), 20)
          return { invocations }
        }`,
      },
    ])
    expect(payloadOf(await service.invoke('late-crash', '{"crashLater":true}')).invocations).toBe(1)
    await until(() => eventsOf(events, 'environment-stopped').length === 1)
    expect(eventsOf(events, 'environment-stopped')[0]?.reason).toBe('crash')
    expect(payloadOf(await service.invoke('late-crash', '{}')).invocations).toBe(1)
  })

  it('runs out of memory at its memory size, as Runtime.OutOfMemory, without harming others', async () => {
    const { service } = await start([
      {
        name: 'hog',
        memoryMb: 128,
        source: `const kept = []
        export const handler = async (event) => {
          if (event.hog) while (true) kept.push(new Array(100_000).fill(Math.random()))
          return 'ok'
        }`,
      },
      { name: 'bystander', source: STATEFUL_HANDLER },
    ])
    const [hog, bystander] = await Promise.all([
      service.invoke('hog', '{"hog":true}'),
      service.invoke('bystander', '{}'),
    ])
    expect(hog).toMatchObject({
      status: 'function-error',
      outcome: 'crash',
      error: { errorType: 'Runtime.OutOfMemory' },
    })
    expect(payloadOf(bystander).invocations).toBe(1)
    expect(payloadOf(await service.invoke('hog', '{}'))).toBe('ok')
  })

  it('reports a result that cannot be serialized as Runtime.JSONStringifyError', async () => {
    const { service } = await start([{ name: 'bigint', source: FAILING_HANDLER }])
    expect(await service.invoke('bigint', '{"bigint":true}')).toMatchObject({
      status: 'function-error',
      error: { errorType: 'Runtime.JSONStringifyError' },
    })
  })
})

describe('a function that fails to initialize', () => {
  const cases = [
    { name: 'missing', source: undefined, errorType: 'Runtime.ImportModuleError' },
    {
      name: 'no-handler',
      source: 'export const main = async () => 1',
      errorType: 'Runtime.HandlerNotFound',
      errorMessage: 'index.handler is undefined or not exported',
    },
    {
      name: 'not-a-function',
      source: 'export const handler = 42',
      errorType: 'Runtime.HandlerNotFound',
      errorMessage: 'index.handler is not a function',
    },
    {
      name: 'bad-syntax',
      source: 'export const handler = async () => {',
      errorType: 'Runtime.UserCodeSyntaxError',
    },
    {
      name: 'bad-import',
      source: "import 'no-such-package-anywhere'\nexport const handler = async () => 1",
      errorType: 'Runtime.ImportModuleError',
    },
    {
      name: 'throws-at-init',
      source: "throw new Error('TABLE_NAME is not set')\nexport const handler = async () => 1",
      errorType: 'Error',
      errorMessage: 'TABLE_NAME is not set',
    },
  ]

  it("answers each invocation with Lambda's init error and keeps no environment", async () => {
    const { service, events } = await start(cases.map(({ name, source }) => ({ name, source })))
    for (const { name, errorType, errorMessage } of cases) {
      for (let attempt = 0; attempt < 2; attempt += 1) {
        const result = await service.invoke(name, '{}')
        expect(result, name).toMatchObject({
          status: 'function-error',
          outcome: 'init-error',
          error: { errorType, ...(errorMessage ? { errorMessage } : {}) },
        })
      }
      expect(service.environments(name).total).toBe(0)
    }
    const stopped = eventsOf(events, 'environment-stopped')
    expect(stopped).toHaveLength(cases.length * 2)
    expect(stopped.every((event) => event.reason === 'init-error')).toBe(true)
  })
})

describe('an invocation the service refuses', () => {
  it('is an event over 6 MB: RequestTooLargeException, nothing runs', async () => {
    const { service, events } = await start([{ name: 'counter', source: STATEFUL_HANDLER }])
    const result = await service.invoke('counter', JSON.stringify({ pad: 'x'.repeat(6 * 2 ** 20) }))
    expect(result).toMatchObject({
      status: 'rejected',
      statusCode: 413,
      errorType: 'RequestTooLargeException',
    })
    expect(eventsOf(events, 'invocation-started')).toHaveLength(0)
  })

  it('names an unknown function and lists the real ones', async () => {
    const { service } = await start([{ name: 'counter', source: STATEFUL_HANDLER }])
    await expect(service.invoke('nosuchfn', '{}')).rejects.toThrow(UnknownFunctionError)
    await expect(service.invoke('nosuchfn', '{}')).rejects.toThrow(
      "no function named 'nosuchfn'; functions are: counter",
    )
  })
})
