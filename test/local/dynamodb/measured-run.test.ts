import { afterEach, describe, expect, it } from 'vitest'
import { filler, governedEngine, provisionedTable } from '../../support/governed-engine.js'

type Env = Awaited<ReturnType<typeof governedEngine>>
let env: Env | undefined

afterEach(async () => {
  await env?.close()
  env = undefined
})

const put = (id: number) => ({
  TableName: 'tbl',
  Item: { pk: { S: `k${id}` }, sk: { S: 's' }, data: filler(10) },
})

describe('a measured run after loading data', () => {
  it('admits everything while loading, then enforces capacity from the balance it starts with', async () => {
    env = await governedEngine({ enforce: false, burstSeconds: 300, startingBalance: 'full' })
    await env.createTable(provisionedTable('tbl', 5, 2))
    for (let id = 0; id < 50; id += 1) expect((await env.call('PutItem', put(id))).ok).toBe(true)

    env.governor.startMeasuredRun('empty')
    // An empty bucket refuses at once; one second refills 2 write units, enough for 2 small puts.
    expect((await env.call('PutItem', put(100))).ok).toBe(false)
    env.clock.advance(1000)
    expect((await env.call('PutItem', put(101))).ok).toBe(true)
    expect((await env.call('PutItem', put(102))).ok).toBe(true)
    expect((await env.call('PutItem', put(103))).ok).toBe(false)

    // After the run, reading results back is not throttled.
    env.governor.endMeasuredRun()
    for (let id = 200; id < 220; id += 1) expect((await env.call('PutItem', put(id))).ok).toBe(true)
  })

  it('can start the measured run with a full burst balance instead', async () => {
    env = await governedEngine({ enforce: false, burstSeconds: 10, startingBalance: 'empty' })
    await env.createTable(provisionedTable('tbl', 5, 2))
    env.governor.startMeasuredRun('full')
    // A full bucket holds 1 s + 10 s of burst: 22 write units.
    let admitted = 0
    for (let id = 0; id < 30; id += 1) if ((await env.call('PutItem', put(id))).ok) admitted += 1
    expect(admitted).toBe(22)
  })
})
