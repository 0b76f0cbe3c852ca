import { setTimeout as delay } from 'node:timers/promises'
import { afterEach, describe, expect, it } from 'vitest'
import type { SecondMetrics } from '../../../src/local/dynamodb/governor/metrics.js'
import { governedEngine, provisionedTable } from '../../support/governed-engine.js'

type Env = Awaited<ReturnType<typeof governedEngine>>
let env: Env | undefined

afterEach(async () => {
  await env?.close()
  env = undefined
})

/** Offers `perSecond` 1-item writes a second for `seconds` of simulated time. */
async function offerWrites(active: Env, perSecond: number, seconds: number) {
  const intervalMs = 1000 / perSecond
  for (let i = 0; i < perSecond * seconds; i += 1) {
    await active.call('PutItem', {
      TableName: 'tbl',
      Item: { pk: { S: `k${active.clock.nowMs()}` }, sk: { S: 's' } },
    })
    active.clock.advance(intervalMs)
  }
}

/** Lets UpdateTable finish (dynalite goes ACTIVE on its next timer turn) and the governor see it. */
async function settle(active: Env) {
  await active.governor.tick()
  await delay(5)
  await active.governor.tick()
}

const writeLimit = (active: Env) =>
  active.governor.snapshot().tables[0]?.resources[0]?.write.limitUnitsPerSecond

describe('the per-second timeline', () => {
  it('reports consumed and provisioned units, the burst balance and requests by outcome', async () => {
    env = await governedEngine({ burstSeconds: 0, startingBalance: 'empty' })
    await env.createTable(provisionedTable('tbl', 5, 10))
    const seconds: SecondMetrics[] = []
    const unsubscribe = env.governor.metrics.subscribe((second) => seconds.push(second))
    await offerWrites(env, 40, 3)
    env.clock.advance(1000)
    await env.governor.tick()
    unsubscribe()

    const full = seconds.filter((second) => second.requests.length > 0).slice(1, 3)
    expect(full).toHaveLength(2)
    for (const second of full) {
      const table = second.resources.find((resource) => resource.tableName === 'tbl')
      expect(table?.write.limitUnitsPerSecond).toBe(10)
      expect(table?.write.consumedUnits).toBeGreaterThanOrEqual(9)
      expect(table?.write.consumedUnits).toBeLessThanOrEqual(11)
      expect(table?.write.balanceUnits).toBeLessThan(1)
      expect(second.requests[0]?.admitted).toBe(table?.write.consumedUnits)
      expect(second.requests[0]?.throttled).toBe(40 - (second.requests[0]?.admitted ?? 0))
    }
  })

  it('drains the burst balance at consumption minus provisioned, and refills it at provisioned', async () => {
    env = await governedEngine({ burstSeconds: 300, startingBalance: 'full' })
    await env.createTable(provisionedTable('tbl', 5, 5))
    const balance = () => env?.governor.snapshot().tables[0]?.resources[0]?.write.balanceUnits ?? 0
    // One second of throughput plus 300 s of burst: 5 x 301 units.
    expect(balance()).toBe(1505)
    await offerWrites(env, 10, 60)
    // 10 writes a second against 5 provisioned: the balance falls 5 units a second.
    expect(balance()).toBeCloseTo(1505 - 5 * 60, 0)
    env.clock.advance(30_000)
    expect(balance()).toBeCloseTo(1505 - 5 * 60 + 5 * 30, 0)
    env.clock.advance(60_000)
    expect(balance()).toBe(1505)
  })

  it('counts connections through the source it is given', async () => {
    env = await governedEngine()
    const counts = { open: 2, opened: 7 }
    env.governor.metrics.countConnectionsWith(() => counts)
    counts.opened = 10
    counts.open = 3
    env.clock.advance(1000)
    await env.governor.tick()
    expect(env.governor.metrics.seconds().at(-1)?.connections).toEqual({ open: 3, opened: 3 })
  })
})

describe('auto scaling', () => {
  const policy = { targetUtilizationPercent: 70, maxReadUnits: 100, maxWriteUnits: 100 }
  // 60x: a one-minute period passes in one second, the 180 s update delay in three.
  const autoScaling = { timeScale: 60, tables: { tbl: policy } }

  it('scales out after two periods above target, and only after the update delay', async () => {
    env = await governedEngine({ burstSeconds: 0, startingBalance: 'empty', autoScaling })
    await env.createTable(provisionedTable('tbl', 5, 10))
    await offerWrites(env, 40, 2)
    await settle(env)
    const [action] = env.governor.autoScaler.actions
    // Consumed 10 a second against 10 provisioned: 100% > 70%; 10 / 0.7 rounds up to 15.
    expect(action).toMatchObject({ tableName: 'tbl', kind: 'write', fromUnits: 10, toUnits: 15 })
    expect(writeLimit(env)).toBe(10)
    await offerWrites(env, 40, 2)
    await settle(env)
    expect(writeLimit(env)).toBe(10)
    await offerWrites(env, 40, 2)
    await settle(env)
    expect(writeLimit(env)).toBe(15)
  })

  it('scales in to its minimum after fifteen quiet periods, not before', async () => {
    env = await governedEngine({ burstSeconds: 0, startingBalance: 'empty', autoScaling })
    await env.createTable(provisionedTable('tbl', 5, 10))
    await offerWrites(env, 40, 5)
    await settle(env)
    const scaledOut = writeLimit(env) ?? 0
    expect(scaledOut).toBeGreaterThan(10)
    const idle = async (seconds: number) => {
      for (let second = 0; second < seconds; second += 1) {
        env?.clock.advance(1000)
        if (env) await settle(env)
      }
    }
    await idle(14)
    expect(writeLimit(env)).toBe(scaledOut)
    // The fifteenth quiet period decides; the change lands three seconds (180 s scaled) later.
    await idle(5)
    expect(env.governor.autoScaler.actions.at(-1)).toMatchObject({
      fromUnits: scaledOut,
      toUnits: 10,
    })
    expect(writeLimit(env)).toBe(10)
  })
})
