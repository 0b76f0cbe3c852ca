import { describe, expect, it } from 'vitest'
import type { Phase } from '../../src/loadtest/scenario/schema.js'
import { ArrivalSchedule } from '../../src/loadtest/schedule/arrivals.js'
import { segmentsOf } from '../../src/loadtest/schedule/segments.js'

function arrivals(phases: Phase[]): number[] {
  const schedule = new ArrivalSchedule(segmentsOf(phases))
  const times: number[] = []
  for (let next = schedule.next(); next !== undefined; next = schedule.next()) times.push(next)
  return times
}

const countBetween = (times: number[], fromMs: number, toMs: number) =>
  times.filter((time) => time >= fromMs && time < toMs).length

describe('the arrival schedule', () => {
  it('spaces a constant rate evenly and holds rate × duration arrivals', () => {
    const times = arrivals([{ type: 'constant', ratePerSecond: 200, durationSeconds: 5 }])
    expect(times).toHaveLength(1000)
    expect(times[0]).toBeCloseTo(2.5, 9)
    expect((times[1] as number) - (times[0] as number)).toBeCloseTo(5, 9)
    expect(times.at(-1)).toBeLessThan(5000)
  })

  it('ramps linearly, so the first half of a ramp from 0 holds a quarter of its arrivals', () => {
    const times = arrivals([
      { type: 'ramp', fromRatePerSecond: 0, toRatePerSecond: 100, durationSeconds: 10 },
    ])
    expect(times).toHaveLength(500)
    expect(countBetween(times, 0, 5000)).toBe(125)
    expect(countBetween(times, 9000, 10_000)).toBe(95)
  })

  it('climbs a staircase in equal steps', () => {
    const times = arrivals([
      { type: 'step', fromRatePerSecond: 10, toRatePerSecond: 40, steps: 4, durationSeconds: 8 },
    ])
    expect([0, 2000, 4000, 6000].map((start) => countBetween(times, start, start + 2000))).toEqual([
      20, 40, 60, 80,
    ])
  })

  it('puts a spike where the phase says, at the peak rate', () => {
    const times = arrivals([
      {
        type: 'spike',
        baseRatePerSecond: 10,
        peakRatePerSecond: 500,
        durationSeconds: 6,
        spikeStartSeconds: 2,
        spikeDurationSeconds: 1,
      },
    ])
    expect(countBetween(times, 0, 2000)).toBe(20)
    expect(countBetween(times, 2000, 3000)).toBe(500)
    expect(countBetween(times, 3000, 6000)).toBe(30)
  })

  it('lays phases end to end and keeps times increasing across a pause at rate 0', () => {
    const times = arrivals([
      { type: 'constant', ratePerSecond: 10, durationSeconds: 1 },
      { type: 'constant', ratePerSecond: 0, durationSeconds: 1 },
      { type: 'constant', ratePerSecond: 10, durationSeconds: 1 },
    ])
    expect(times).toHaveLength(20)
    expect(countBetween(times, 1000, 2000)).toBe(0)
    expect(times.every((time, index) => index === 0 || time > (times[index - 1] as number))).toBe(
      true,
    )
  })

  it('reports the count it will produce', () => {
    const segments = segmentsOf([
      { type: 'ramp', fromRatePerSecond: 3, toRatePerSecond: 17, durationSeconds: 7 },
    ])
    const schedule = new ArrivalSchedule(segments)
    let produced = 0
    while (schedule.next() !== undefined) produced += 1
    expect(produced).toBe(new ArrivalSchedule(segments).expectedCount)
  })
})
