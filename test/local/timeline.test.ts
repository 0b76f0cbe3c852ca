import { afterEach, describe, expect, it } from 'vitest'
import type { InvocationFinished, LambdaEvent } from '../../src/local/lambda/events.js'
import { Timeline, type TimelineEvent } from '../../src/local/timeline.js'

const START_MS = 1_700_000_000_000
let timeline: Timeline | undefined
afterEach(() => timeline?.stop())

function started(atEpochMs: number, concurrency: number): LambdaEvent {
  return {
    type: 'invocation-started',
    functionName: 'f',
    requestId: 'r',
    atEpochMs,
    concurrency,
  }
}

function finished(atEpochMs: number, durationMs: number, extra: Partial<InvocationFinished> = {}) {
  const event: InvocationFinished = {
    type: 'invocation-finished',
    functionName: 'f',
    requestId: 'r',
    atEpochMs,
    outcome: 'success',
    durationMs,
    billedDurationMs: Math.ceil(durationMs),
    billedInitMs: 0,
    memoryMb: 1024,
    billedGbSeconds: Math.ceil(durationMs) / 1000,
    coldStart: false,
    concurrency: 0,
    ...extra,
  }
  return event
}

describe('the timeline', () => {
  it('counts injected faults per function and second', () => {
    timeline = new Timeline(['f'], START_MS)
    for (const kind of ['crash', 'crash', 'init-failure'] as const) {
      timeline.recordLambda({
        type: 'fault-injected',
        functionName: 'f',
        kind,
        requestId: 'r',
        atEpochMs: START_MS + 100,
      })
    }
    timeline.recordLambda({
      type: 'fault-injected',
      functionName: 'f',
      kind: 'crash',
      requestId: 'r',
      atEpochMs: START_MS + 1100,
    })
    const [first, second] = timeline.export().seconds
    expect(first?.functions.f?.faults).toEqual({ crashes: 2, initFailures: 1 })
    expect(second?.functions.f?.faults).toEqual({ crashes: 1, initFailures: 0 })
  })

  it('counts each second per function: invocations, peak concurrency, errors, percentiles, GB-s', () => {
    timeline = new Timeline(['f', 'g'], START_MS)
    timeline.recordLambda(started(START_MS + 10, 1))
    timeline.recordLambda(started(START_MS + 20, 2))
    timeline.recordLambda(started(START_MS + 30, 3))
    timeline.recordLambda(finished(START_MS + 100, 10, { concurrency: 2 }))
    timeline.recordLambda(finished(START_MS + 200, 30, { concurrency: 1, outcome: 'timeout' }))
    timeline.recordLambda({
      type: 'invocation-throttled',
      functionName: 'f',
      atEpochMs: START_MS + 300,
      reason: 'ReservedFunctionConcurrentInvocationLimitExceeded',
    })
    timeline.recordLambda({
      type: 'cold-start',
      functionName: 'f',
      environmentId: 'e',
      atEpochMs: START_MS + 400,
      initializationType: 'on-demand',
      initMs: 120,
      modelledDelayMs: 250,
    })
    // The third invocation is still running when the next second begins.
    timeline.recordLambda(finished(START_MS + 1500, 20, { concurrency: 0 }))

    const [first, second] = timeline.export().seconds
    expect(first?.functions.f).toEqual({
      invocations: 3,
      concurrencyPeak: 3,
      coldStarts: 1,
      throttles: 1,
      throttlesByReason: { ReservedFunctionConcurrentInvocationLimitExceeded: 1 },
      errors: 1,
      timeouts: 1,
      durationMs: { p50: 10, p99: 30, max: 30 },
      billedGbSeconds: 0.04,
      faults: { crashes: 0, initFailures: 0 },
    })
    expect(first?.functions.g?.invocations).toBe(0)
    expect(second?.second).toBe(1)
    expect(second?.startEpochMs).toBe(START_MS + 1000)
    expect(second?.functions.f?.concurrencyPeak).toBe(1)
    expect(second?.functions.f?.durationMs).toEqual({ p50: 20, p99: 20, max: 20 })
  })

  it('counts gateway responses by status and streams each closed second, empty ones included', () => {
    timeline = new Timeline(['f'], START_MS)
    const streamed: TimelineEvent[] = []
    timeline.subscribe((event) => streamed.push(event))
    const request = { requestId: 'x', method: 'GET', path: '/', durationMs: 1 }
    timeline.recordRequest({ ...request, statusCode: 200, atEpochMs: START_MS + 5 })
    timeline.recordRequest({ ...request, statusCode: 200, atEpochMs: START_MS + 6 })
    timeline.recordRequest({ ...request, statusCode: 500, atEpochMs: START_MS + 7 })
    timeline.recordRequest({ ...request, statusCode: 429, atEpochMs: START_MS + 3100 })

    const seconds = streamed.flatMap((event) => (event.type === 'second' ? [event.second] : []))
    expect(seconds.map((second) => second.second)).toEqual([0, 1, 2])
    expect(seconds[0]?.gateway).toEqual({ requests: 3, byStatus: { '200': 2, '500': 1 } })
    expect(seconds[1]?.gateway.requests).toBe(0)

    timeline.stop()
    const last = streamed[streamed.length - 1]
    expect(last?.type).toBe('stopped')
    if (last?.type === 'stopped') {
      expect(last.timeline.seconds).toHaveLength(4)
      expect(last.timeline.seconds[3]?.gateway.byStatus).toEqual({ '429': 1 })
      expect(JSON.parse(JSON.stringify(last.timeline))).toEqual(last.timeline)
    }
  })
})
