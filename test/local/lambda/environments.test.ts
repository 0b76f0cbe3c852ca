import { describe, expect, it } from 'vitest'
import {
  eventsOf,
  payloadOf,
  STATEFUL_HANDLER,
  serviceClosedAfterEachTest,
  until,
} from '../../support/lambda-fixtures.js'

const start = serviceClosedAfterEachTest()

const sleepEvent = (sleepMs: number) => JSON.stringify({ sleepMs })

describe('execution environments', () => {
  it('keep module state across their requests and never share it between environments', async () => {
    const { service } = await start([{ name: 'counter', source: STATEFUL_HANDLER }])

    const first = payloadOf(await service.invoke('counter', '{}'))
    const second = payloadOf(await service.invoke('counter', '{}'))
    expect(second.environmentId).toBe(first.environmentId)
    expect([first.invocations, second.invocations]).toEqual([1, 2])

    const overlapping = (
      await Promise.all([
        service.invoke('counter', sleepEvent(200)),
        service.invoke('counter', sleepEvent(200)),
      ])
    ).map(payloadOf)
    const [reused, fresh] = overlapping.sort((a, b) => b.invocations - a.invocations)
    expect(reused).toMatchObject({ environmentId: first.environmentId, invocations: 3 })
    expect(fresh.environmentId).not.toBe(first.environmentId)
    expect(fresh.invocations).toBe(1)
    // process.env is the environment's own: the new one never saw the first one's write.
    expect(fresh.seenMark).toBeNull()
    expect(reused.seenMark).toBe(first.environmentId)
    expect(process.env.TEST_MARK).toBeUndefined()
  })

  it("set Lambda's environment variables and context fields", async () => {
    const { service } = await start(
      [
        {
          name: 'describe-me',
          memoryMb: 256,
          environment: { TABLE_NAME: 'things' },
          source: `export const handler = async (event, context) => ({
            env: process.env,
            context: { ...context, remainingMs: context.getRemainingTimeInMillis() },
          })`,
        },
      ],
      { region: 'eu-west-1', accountId: '123456789012' },
    )
    const result = await service.invoke('describe-me', '{}')
    const { env, context } = payloadOf(result)
    expect(env).toMatchObject({
      TABLE_NAME: 'things',
      AWS_LAMBDA_FUNCTION_NAME: 'describe-me',
      AWS_LAMBDA_FUNCTION_MEMORY_SIZE: '256',
      AWS_LAMBDA_FUNCTION_VERSION: '$LATEST',
      AWS_LAMBDA_INITIALIZATION_TYPE: 'on-demand',
      AWS_LAMBDA_LOG_GROUP_NAME: '/aws/lambda/describe-me',
      AWS_REGION: 'eu-west-1',
      AWS_EXECUTION_ENV: 'AWS_Lambda_nodejs22.x',
      TZ: ':UTC',
      _HANDLER: 'index.handler',
    })
    expect(env.LAMBDA_TASK_ROOT).toMatch(/describe-me$/)
    expect(env.AWS_LAMBDA_LOG_STREAM_NAME).toMatch(
      /^\d{4}\/\d{2}\/\d{2}\/\[\$LATEST\][0-9a-f]{32}$/,
    )
    expect(env.HOME).toBeUndefined()
    expect(context).toMatchObject({
      functionName: 'describe-me',
      functionVersion: '$LATEST',
      memoryLimitInMB: '256',
      invokedFunctionArn: 'arn:aws:lambda:eu-west-1:123456789012:function:describe-me',
      logGroupName: '/aws/lambda/describe-me',
      logStreamName: env.AWS_LAMBDA_LOG_STREAM_NAME,
      awsRequestId: result.status === 'success' ? result.requestId : '',
    })
    expect(context.remainingMs).toBeGreaterThan(0)
    expect(context.remainingMs).toBeLessThanOrEqual(3000)
  })

  it('count a cold start once per new environment, its real init apart from the modelled delay', async () => {
    const { service, events } = await start([{ name: 'counter', source: STATEFUL_HANDLER }], {
      coldStartDelayMs: 40,
    })
    for (let index = 0; index < 3; index += 1) await service.invoke('counter', '{}')
    await Promise.all([1, 2, 3].map(() => service.invoke('counter', sleepEvent(150))))

    const coldStarts = eventsOf(events, 'cold-start')
    expect(coldStarts).toHaveLength(3)
    expect(service.environments('counter')).toEqual({ total: 3, idle: 3 })
    for (const coldStart of coldStarts) {
      expect(coldStart).toMatchObject({ initializationType: 'on-demand', modelledDelayMs: 40 })
      expect(coldStart.initMs).toBeGreaterThan(0)
    }
    const finished = eventsOf(events, 'invocation-finished')
    expect(finished.slice(0, 3).map((event) => event.coldStart)).toEqual([true, false, false])
    expect(finished.slice(3).filter((event) => event.coldStart)).toHaveLength(2)
    expect(finished.every((event) => event.billedDurationMs >= Math.ceil(event.durationMs))).toBe(
      true,
    )
    // A cold start bills its init (real + modelled) with the invocation.
    const cold = finished.find((event) => event.coldStart)
    expect(cold?.billedInitMs).toBeGreaterThanOrEqual(40)
  })

  it('are reclaimed after the idle time, and the next invocation starts cold', async () => {
    const { service, events } = await start([{ name: 'counter', source: STATEFUL_HANDLER }], {
      idleReclaimMs: 100,
    })
    const before = payloadOf(await service.invoke('counter', '{}'))
    await until(() => eventsOf(events, 'environment-stopped').length === 1)
    expect(eventsOf(events, 'environment-stopped')[0]?.reason).toBe('idle')
    expect(service.environments('counter').total).toBe(0)

    const after = payloadOf(await service.invoke('counter', '{}'))
    expect(after.environmentId).not.toBe(before.environmentId)
    expect(eventsOf(events, 'cold-start')).toHaveLength(2)
  })

  it('start provisioned environments ahead, with their own init type, and spill over on demand', async () => {
    const { service, events } = await start([
      {
        name: 'ready',
        provisionedConcurrency: 1,
        source: `export const handler = async (event) => {
          if (event.sleepMs) await new Promise((resolve) => setTimeout(resolve, event.sleepMs))
          return process.env.AWS_LAMBDA_INITIALIZATION_TYPE
        }`,
      },
    ])
    expect(eventsOf(events, 'cold-start').map((event) => event.initializationType)).toEqual([
      'provisioned-concurrency',
    ])
    const answers = await Promise.all([
      service.invoke('ready', sleepEvent(150)),
      service.invoke('ready', sleepEvent(150)),
    ])
    expect(answers.map(payloadOf).sort()).toEqual(['on-demand', 'provisioned-concurrency'])
    const finished = eventsOf(events, 'invocation-finished')
    expect(finished.filter((event) => event.coldStart)).toHaveLength(1)
  })

  it('capture console output per environment with the request id and level', async () => {
    const { service, events } = await start([
      {
        name: 'chatty',
        source: `console.log('init line')
        export const handler = async () => {
          console.warn('careful', { n: 1 })
          process.stdout.write('raw line\\n')
          return 'ok'
        }`,
      },
    ])
    const result = await service.invoke('chatty', '{}')
    await until(() => eventsOf(events, 'log').length === 3)
    const logs = eventsOf(events, 'log')
    const requestId = result.status === 'success' ? result.requestId : ''
    expect(logs.map(({ level, message, requestId }) => ({ level, message, requestId }))).toEqual(
      expect.arrayContaining([
        { level: 'INFO', message: 'init line', requestId: undefined },
        { level: 'WARN', message: 'careful { n: 1 }', requestId },
        { level: 'STDOUT', message: 'raw line', requestId },
      ]),
    )
    expect(new Set(logs.map((log) => log.environmentId)).size).toBe(1)
  })
})
