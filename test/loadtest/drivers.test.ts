import { afterEach, describe, expect, it } from 'vitest'
import { LoadTest, type TickEvent } from '../../src/loadtest/index.js'
import { scenarioOf } from './helpers.js'
import { startDelayServer, type TestServer } from './servers.js'

let server: TestServer | undefined
afterEach(async () => {
  await server?.close()
  server = undefined
})

describe('the open model', () => {
  it('drops and counts scheduled requests beyond maxInFlight, and says so', async () => {
    server = await startDelayServer({ delayMs: () => 300 })
    const scenario = scenarioOf({
      load: {
        model: 'open',
        maxInFlight: 5,
        phases: [{ type: 'constant', ratePerSecond: 100, durationSeconds: 1 }],
      },
    })
    const result = await new LoadTest({ baseUrl: server.url, scenario }).run()

    expect(result.load.sent + result.load.dropped).toBe(100)
    expect(result.load.dropped).toBeGreaterThan(50)
    expect(result.timeline.reduce((sum, second) => sum + second.dropped, 0)).toBe(
      result.load.dropped,
    )
    expect(result.warnings[0]).toMatch(/^DROPPED \d+ of 100 scheduled requests/)
  })

  it('stops at maxRequests, ticks every second, and reports the timeline', async () => {
    server = await startDelayServer({ delayMs: () => 1 })
    const scenario = scenarioOf({
      load: {
        model: 'open',
        phases: [{ type: 'constant', ratePerSecond: 100, durationSeconds: 3 }],
      },
      limits: { maxRequests: 150 },
    })
    const test = new LoadTest({ baseUrl: server.url, scenario })
    const ticks: TickEvent[] = []
    test.on('tick', (tick) => ticks.push(tick))
    const result = await test.run()

    expect(result.overall.requests).toBe(150)
    expect(result.load.sendWindowMs).toBeLessThan(2500)
    expect(ticks.length).toBeGreaterThanOrEqual(2)
    // Counted by intended send time, so a busy machine cannot move them between seconds.
    expect(ticks[0]?.second).toMatchObject({ second: 0, scheduled: 100 })
    expect(result.timeline.reduce((sum, second) => sum + second.completed, 0)).toBe(150)
  })
})

describe('the closed model', () => {
  it('keeps N users busy with think time between their requests', async () => {
    server = await startDelayServer({ delayMs: () => 5 })
    const scenario = scenarioOf({
      load: {
        model: 'closed',
        virtualUsers: 4,
        durationSeconds: 1,
        thinkTimeMs: { min: 40, max: 60 },
      },
    })
    const result = await new LoadTest({ baseUrl: server.url, scenario }).run()

    // Each user cycles in about 5 ms + 50 ms: about 18 requests a second each.
    expect(result.overall.requests).toBeGreaterThan(4 * 5)
    expect(result.overall.requests).toBeLessThan(4 * 25)
    expect(result.scenario.model).toBe('closed')
    expect(result.warnings.join('\n')).toMatch(/closed model/)
  })
})

describe('the closed model in stages', () => {
  it('runs as many users at once as each stage says', async () => {
    let inFlight = 0
    const peakBySecond = new Map<number, number>()
    let firstAt: number | undefined
    server = await startDelayServer({
      delayMs: () => {
        firstAt ??= performance.now()
        inFlight += 1
        const second = Math.floor((performance.now() - firstAt) / 1000)
        peakBySecond.set(second, Math.max(peakBySecond.get(second) ?? 0, inFlight))
        setTimeout(() => {
          inFlight -= 1
        }, 20)
        return 20
      },
    })
    const scenario = scenarioOf({
      load: {
        model: 'closed',
        stages: [
          { virtualUsers: 2, durationSeconds: 1 },
          { virtualUsers: 6, durationSeconds: 1 },
        ],
      },
    })
    const result = await new LoadTest({ baseUrl: server.url, scenario }).run()

    expect(result.scenario.plannedDurationMs).toBe(2000)
    expect(peakBySecond.get(0)).toBe(2)
    expect(peakBySecond.get(1)).toBe(6)
  })

  it('refuses stages given together with virtualUsers, or only zero-user stages', () => {
    expect(() =>
      scenarioOf({
        load: {
          model: 'closed',
          virtualUsers: 2,
          stages: [{ virtualUsers: 2, durationSeconds: 1 }],
        },
      }),
    ).toThrow('give either stages or virtualUsers with durationSeconds, not both')
    expect(() =>
      scenarioOf({ load: { model: 'closed', stages: [{ virtualUsers: 0, durationSeconds: 1 }] } }),
    ).toThrow('every stage has 0 users')
  })
})

describe('stopping', () => {
  it('ends a run stopped before its load began without sending any load', async () => {
    server = await startDelayServer({ delayMs: () => 1 })
    const scenario = scenarioOf({
      load: {
        model: 'open',
        phases: [{ type: 'constant', ratePerSecond: 50, durationSeconds: 30 }],
      },
    })
    const test = new LoadTest({ baseUrl: server.url, scenario })
    test.on('preflight', () => test.stop())
    const result = await test.run()
    expect(result.stopped).toBe(true)
    expect(result.load.sent).toBe(0)
    expect(server.arrivals).toHaveLength(0)
  })
})
