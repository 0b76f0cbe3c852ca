import { afterEach, describe, expect, it } from 'vitest'
import { gradeVerdict } from '../../src/loadtest/engine/grade-verdict.js'
import { LoadTest } from '../../src/loadtest/index.js'
import { type FakeAplus, startFakeAplus } from './fake-aplus.js'
import { scenarioOf } from './helpers.js'

let fake: FakeAplus | undefined
afterEach(async () => {
  await fake?.close()
  fake = undefined
})

/** Only creates: every acknowledged write is a distinct record, so every dropped one is findable. */
const createsOnly = (maxRequests: number) =>
  scenarioOf({
    setup: { students: 20, courses: 5, enrollments: 20 },
    load: { model: 'closed', virtualUsers: 16, durationSeconds: 20 },
    limits: { maxRequests },
    mix: [
      { request: 'createStudent', weight: 4 },
      { request: 'enroll', weight: 5 },
      { request: 'createCourse', weight: 1 },
      { request: 'putGrade', weight: 2 },
    ],
  })

describe('--verify', () => {
  it('catches a server that drops one acknowledged write in a thousand', async () => {
    fake = await startFakeAplus({ dropEveryNthWrite: 1000 })
    const result = await new LoadTest({
      baseUrl: fake.url,
      scenario: createsOnly(3000),
      verify: true,
    }).run()

    expect(fake.writes.dropped).toBeGreaterThanOrEqual(2)
    expect(result.verify?.lost).toBeGreaterThanOrEqual(1)
    // A dropped grade that a later write to the same key overwrote leaves no trace; the rest do.
    expect(result.verify?.lost).toBeLessThanOrEqual(fake.writes.dropped)
    expect(result.verify?.findings.some((finding) => finding.problem === 'lost')).toBe(true)
    expect(result.verify?.unverifiable).toBe(0)
  })

  it('counts every dropped write when each write creates a distinct record', async () => {
    fake = await startFakeAplus({ dropEveryNthWrite: 1000 })
    const scenario = scenarioOf({
      ...createsOnly(2500),
      mix: [
        { request: 'createStudent', weight: 1 },
        { request: 'enroll', weight: 1 },
      ],
    })
    const result = await new LoadTest({ baseUrl: fake.url, scenario, verify: true }).run()
    expect(fake.writes.dropped).toBeGreaterThanOrEqual(2)
    expect(result.verify?.lost).toBe(fake.writes.dropped)
  })

  it('reports all zeros against a server that keeps everything', async () => {
    fake = await startFakeAplus()
    const result = await new LoadTest({
      baseUrl: fake.url,
      scenario: createsOnly(800),
      verify: true,
    }).run()
    expect(result.verify).toMatchObject({
      lost: 0,
      duplicated: 0,
      stale: 0,
      mismatched: 0,
      counterMismatches: 0,
    })
    expect(result.verify?.checked).toBeGreaterThan(500)
  })

  it('finds enrollments stored twice, and the counter that no longer matches', async () => {
    fake = await startFakeAplus({ duplicateEveryNthEnrollment: 50 })
    const result = await new LoadTest({
      baseUrl: fake.url,
      scenario: createsOnly(600),
      verify: true,
    }).run()
    expect(result.verify?.duplicated).toBeGreaterThanOrEqual(1)
    expect(result.verify?.counterMismatches).toBeGreaterThanOrEqual(1)
    expect(result.verify?.lost).toBe(0)
  })
})

describe('judging a grade', () => {
  const write = (grade: 'A' | 'B' | 'C', outcome: 'acknowledged' | 'rejected' | 'ambiguous') => ({
    grade,
    outcome,
  })

  it('calls an earlier value stale when writes to the key never overlapped', () => {
    const history = {
      writes: [write('A', 'acknowledged'), write('B', 'acknowledged')],
      overlapped: false,
      inFlight: 0,
    }
    expect(gradeVerdict(history, ['A'])?.problem).toBe('stale')
    expect(gradeVerdict(history, ['B'])).toBeUndefined()
  })

  it('accepts any sent value when writes overlapped or had unknown outcomes', () => {
    const overlapped = {
      writes: [write('A', 'acknowledged'), write('B', 'acknowledged')],
      overlapped: true,
      inFlight: 0,
    }
    expect(gradeVerdict(overlapped, ['A'])).toBeUndefined()
    const ambiguous = {
      writes: [write('A', 'acknowledged'), write('B', 'ambiguous')],
      overlapped: false,
      inFlight: 0,
    }
    expect(gradeVerdict(ambiguous, ['B'])).toBeUndefined()
  })

  it('calls a missing grade lost, a doubled one duplicated and a foreign one mismatched', () => {
    const history = { writes: [write('A', 'acknowledged')], overlapped: false, inFlight: 0 }
    expect(gradeVerdict(history, [])?.problem).toBe('lost')
    expect(gradeVerdict(history, ['A', 'A'])?.problem).toBe('duplicated')
    expect(gradeVerdict(history, ['C'])?.problem).toBe('mismatched')
  })
})
