import { mkdtemp, readFile, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { UsageError } from '../../src/cli/command.js'
import { parseSoakFlags } from '../../src/cli/soak/flags.js'
import { type SoakReport, slopesOf, verdictOf } from '../../src/cli/soak/report.js'
import type { SoakSample } from '../../src/cli/soak/sampler.js'
import { soakScenario } from '../../src/cli/soak/scenario.js'
import { leastSquaresSlope } from '../../src/cli/soak/slope.js'
import { defaultScenario, REQUEST_KINDS } from '../../src/loadtest/index.js'
import { aplus } from '../support/cli.js'

let workDir: string
beforeAll(async () => {
  workDir = await mkdtemp(join(tmpdir(), 'aplus-soak-'))
})
afterAll(() => rm(workDir, { recursive: true, force: true }))

describe('aplus soak', () => {
  it('holds a load for the minutes asked and reports memory, environments and sockets over time', async () => {
    const out = join(workDir, 'soak.json')
    const result = await aplus(
      'soak',
      '--minutes',
      '0.4',
      '--sample-seconds',
      '2',
      '--rate',
      '20',
      '--out',
      out,
    )
    const report = JSON.parse(await readFile(out, 'utf8')) as SoakReport
    expect(result.code).toBe(report.verdict === 'fail' ? 99 : 0)
    expect(result.stderr).toContain('RSS MB')
    expect(result.stderr).toContain(`report: ${out}`)

    expect(report.schemaVersion).toBe(1)
    expect(report.settings).toMatchObject({ topology: 'monolith', minutes: 0.4, ratePerSecond: 20 })
    expect(report.samples.length).toBeGreaterThanOrEqual(8)
    for (const sample of report.samples) {
      expect(sample.process.rssMb).toBeGreaterThan(sample.process.heapUsedMb)
      expect(sample.environments.live).toBeGreaterThanOrEqual(1)
      expect(sample.environments.list).toHaveLength(sample.environments.live)
      expect(sample.sockets.dynamodbOpen).toBeGreaterThanOrEqual(0)
    }
    const last = report.samples.at(-1) as SoakSample
    expect(last.environments.answered).toBe(last.environments.live)
    expect(last.environments.heapUsedMb).toBeGreaterThan(0)
    expect(report.load.sent).toBeGreaterThan(200)
    expect(report.load.failed).toBe(0)
    expect(report.samplesInSlope).toBeGreaterThanOrEqual(3)
    expect(typeof report.slopes.retainedHeapMbPerMinute).toBe('number')
    expect(report.notes.join(' ')).toContain('no environment has an RSS of its own')
  })

  it('refuses bad flags, naming them, before starting anything', async () => {
    const cases = [
      [[], 'option --minutes is required'],
      [['--minutes', '0'], 'option --minutes must be a number from 0.05'],
      [
        ['--minutes', '2', '--warmup-minutes', '3'],
        'option --warmup-minutes must be shorter than --minutes',
      ],
      [['--minutes', '1', '--rate', 'fast'], 'option --rate must be a number'],
      [['--minutes', '1', '--topology', 'mesh'], 'option --topology must be one of'],
      [
        ['--minutes', '1', '--sample-seconds', '0.1'],
        'option --sample-seconds must be a number from 0.5',
      ],
    ] as const
    for (const [argv, message] of cases) {
      expect(() => parseSoakFlags(argv), argv.join(' ')).toThrow(UsageError)
      expect(() => parseSoakFlags(argv), argv.join(' ')).toThrow(message)
    }
    const result = await aplus(
      'soak',
      '--minutes',
      '1',
      '--out',
      join(workDir, 'missing', 'x.json'),
    )
    expect(result.code).toBe(2)
    expect(result.stderr).toContain('option --out')
  })
})

describe("the soak's load", () => {
  it('reads as the built-in mix does and writes only grades, so the data does not grow', () => {
    const { mix } = soakScenario({
      baseUrl: '',
      ratePerSecond: 10,
      durationSeconds: 1,
      seed: 1,
      headers: {},
    })
    const writes = mix.filter((entry) => !REQUEST_KINDS[entry.request].startsWith('GET '))
    expect(writes).toEqual([{ request: 'putGrade', weight: 30 }])
    const defaultReads = (defaultScenario.mix ?? []).filter((entry) =>
      REQUEST_KINDS[entry.request].startsWith('GET '),
    )
    expect(mix.filter((entry) => !writes.includes(entry))).toEqual(defaultReads)
  })
})

describe('the soak slope', () => {
  it('is the least-squares slope of the samples after the warm-up, in MB per minute', () => {
    expect(
      leastSquaresSlope([
        [0, 1],
        [1, 3],
        [2, 5],
      ]),
    ).toBeCloseTo(2)
    expect(
      leastSquaresSlope([
        [0, 1],
        [1, 3],
      ]),
    ).toBeUndefined()
    expect(
      leastSquaresSlope([
        [1, 1],
        [1, 2],
        [1, 3],
      ]),
    ).toBeUndefined()
    const sample = (
      minute: number,
      mainMb: number,
      environmentsMb: number,
      answered = 1,
    ): SoakSample => ({
      elapsedSeconds: minute * 60,
      process: { rssMb: 300, heapUsedMb: mainMb, heapTotalMb: 40, externalMb: 1 },
      environments: { live: 1, heapUsedMb: environmentsMb, answered, list: [] },
      sockets: { gatewayOpen: 1, dynamodbOpen: 1 },
      load: { sent: 0, succeeded: 0, failed: 0 },
    })
    const samples = [
      sample(0, 50, 50),
      sample(1, 10, 10),
      sample(2, 11, 10),
      sample(3, 12, 10),
      sample(4, 99, 99, 0),
    ]
    const { slopes, count } = slopesOf(samples, 1)
    // The warm-up sample and the one whose environment did not answer are left out.
    expect(count).toBe(3)
    expect(slopes.retainedHeapMbPerMinute).toBeCloseTo(1)
    expect(verdictOf(slopes, 1.5)).toBe('pass')
    expect(verdictOf(slopes, 0.5)).toBe('fail')
    expect(verdictOf(slopesOf(samples.slice(0, 2), 1).slopes, 1)).toBe('too-short')
  })
})
