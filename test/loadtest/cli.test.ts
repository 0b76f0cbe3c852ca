import { spawn } from 'node:child_process'
import { mkdtemp, readFile, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { APLUS_BIN, aplus as runAplus } from '../support/cli.js'
import { type FakeAplus, startFakeAplus } from './fake-aplus.js'

/**
 * `aplus loadtest …` to completion, run asynchronously: the fake server lives in this process and
 * must keep answering.
 */
const aplus = (...args: string[]) => runAplus('loadtest', ...args)

let fake: FakeAplus
const folder = await mkdtemp(join(tmpdir(), 'aplus-cli-'))
beforeAll(async () => {
  fake = await startFakeAplus()
})
afterAll(() => fake.close())

const quick = ['--rate', '50', '--duration', '1']

describe('aplus loadtest', () => {
  it('documents every flag it accepts in --help', async () => {
    const source = await readFile(
      new URL('../../src/cli/loadtest/flags.ts', import.meta.url),
      'utf8',
    )
    const block = source.slice(source.indexOf('const OPTIONS'), source.indexOf('} as const'))
    const flags = [...block.matchAll(/^\s+'?([a-z-]+)'?: \{/gm)].map((match) => match[1])
    expect(flags.length).toBeGreaterThan(15)
    const { code, stdout } = await aplus('--help')
    expect(code).toBe(0)
    for (const flag of flags) expect(stdout).toContain(`--${flag}`)
    expect(stdout).toMatch(/99\s+the run finished but a threshold failed/)
  })

  it('runs, prints the summary to stderr and the versioned result to stdout', async () => {
    const { code, stdout, stderr } = await aplus(
      '--target',
      fake.url,
      ...quick,
      '--json',
      '--verify',
    )
    expect(code).toBe(0)
    const result = JSON.parse(stdout)
    expect(result.schemaVersion).toBe(1)
    expect(result.overall.requests).toBe(50)
    expect(result.verify.lost).toBe(0)
    expect(stderr).toMatch(/failure rate\s+0\.00%/)
    expect(stderr).toMatch(/average latency of successful requests/)
    expect(stderr).toMatch(/lost 0, duplicated 0/)
  })

  it('writes the result to --out and exits 99 when a threshold fails', async () => {
    const out = join(folder, 'result.json')
    const { code, stderr } = await aplus(
      '--target',
      fake.url,
      ...quick,
      '--quiet',
      '--out',
      out,
      '--threshold',
      'p99<0.0001',
      '--threshold',
      'failure_rate<0.5',
    )
    expect(code).toBe(99)
    expect(stderr).toBe('')
    const result = JSON.parse(await readFile(out, 'utf8'))
    expect(result.thresholds.map((outcome: { passed: boolean }) => outcome.passed)).toEqual([
      false,
      true,
    ])
  })

  it('exits 2 naming the problem for bad flags, before sending anything', async () => {
    const before = fake.writes.acknowledged
    const cases: [string[], RegExp][] = [
      [['--target', fake.url, '--rate', 'fast'], /option --rate must be a number/],
      [['--target', fake.url, '--rate', '5', '--users', '3'], /exclude each other/],
      [['--rate', '5'], /option --target is required/],
      [['--target', fake.url, '--header', 'no-colon'], /--header must look like "Name: value"/],
      [['--target', fake.url, '--threshold', 'p98<3'], /unknown metric 'p98'/],
      [['--target', fake.url, '--bogus'], /Unknown option '--bogus'/],
      [['--target', 'not a url', ...quick], /is not a URL/],
      [['--target', fake.url, '--export', 'gatling'], /--export must be one of k6/],
      [['--target', fake.url, '--out', '/no/such/folder/r.json'], /--out: the folder/],
      [['--target', fake.url, '--think-time', '50'], /--think-time applies to a closed model/],
      [
        ['--target', fake.url, '--users', '2', '--max-in-flight', '9'],
        /--max-in-flight applies to an open/,
      ],
    ]
    for (const [args, message] of cases) {
      const { code, stderr } = await aplus(...args)
      expect({ args, code }).toEqual({ args, code: 2 })
      expect(stderr).toMatch(message)
    }
    expect(fake.writes.acknowledged).toBe(before)
  })

  it('exits 2 for a bad scenario file, naming the file and the JSON path', async () => {
    const file = join(folder, 'bad.json')
    await writeFile(
      file,
      JSON.stringify({
        name: 'x',
        load: {
          model: 'open',
          phases: [{ type: 'constant', ratePerSecond: 5, durationSeconds: 0 }],
        },
        mix: [{ request: 'health', weight: 1 }],
      }),
    )
    const { code, stderr } = await aplus('--target', fake.url, '--scenario', file)
    expect(code).toBe(2)
    expect(stderr).toContain(`${file} at $.load.phases[0].durationSeconds`)
  })

  it('exits 2 when the target does not answer', async () => {
    const { code, stderr } = await aplus('--target', 'http://127.0.0.1:1', ...quick)
    expect(code).toBe(2)
    expect(stderr).toMatch(/cannot reach GET http:\/\/127\.0\.0\.1:1\/health/)
  })

  it('prints plain progress lines, not a rewritten one, when stderr is not a terminal', async () => {
    const { stderr } = await aplus('--target', fake.url, ...quick)
    expect(stderr).not.toContain('\r')
    expect(stderr).toMatch(/^\[(draining|1\/1s)\] sent 50 {2}done \d+ {2}failed \d+\.\d+%/m)
  })

  it('stops early on Ctrl-C and still reports', async () => {
    const child = spawn(process.execPath, [
      APLUS_BIN,
      'loadtest',
      '--target',
      fake.url,
      '--rate',
      '20',
      '--duration',
      '30',
      '--json',
    ])
    let stdout = ''
    child.stdout.on('data', (chunk) => {
      stdout += chunk
    })
    // Interrupt once the load is under way, not while Node is still starting.
    await new Promise<void>((resolve) => {
      child.stderr.on('data', (chunk: Buffer) => {
        if (chunk.toString().includes('load: ')) resolve()
      })
    })
    await new Promise((resolve) => setTimeout(resolve, 1000))
    child.kill('SIGINT')
    const code = await new Promise((resolve) => child.on('close', resolve))
    expect(code).toBe(0)
    const result = JSON.parse(stdout)
    expect(result.stopped).toBe(true)
    expect(result.load.sendWindowMs).toBeLessThan(5000)
  })

  it('validates without sending on --dry-run', async () => {
    const { code, stderr } = await aplus('--dry-run', '--users', '3', '--duration', '2')
    expect(code).toBe(0)
    expect(stderr).toMatch(/closed model: 3 users for 2 s/)
  })
})
