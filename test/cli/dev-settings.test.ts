import { type ChildProcess, spawn } from 'node:child_process'
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { TimelineExport } from '../../src/local/timeline.js'
import { APLUS_BIN, aplus } from '../support/cli.js'

let workDir: string
beforeAll(async () => {
  workDir = await mkdtemp(join(tmpdir(), 'aplus-dev-test-'))
})
afterAll(() => rm(workDir, { recursive: true, force: true }))

describe('aplus dev', () => {
  it('names an unknown function and lists the real ones', async () => {
    const result = await aplus('dev', '--topology', 'services', '--reserved', 'nosuchfn=3')
    expect(result.code).toBe(2)
    expect(result.stderr).toContain(
      "option --reserved: no function named 'nosuchfn' in the services topology; its functions are: students, courses, enrollments, grades, health, fallback",
    )
  })

  it('refuses bad numbers and unknown choices, naming the option', async () => {
    const cases = [
      [['--account-concurrency', 'many'], 'option --account-concurrency must be a whole number'],
      [['--reserved', 'monolith'], "option --reserved takes FUNCTION=NUMBER, got 'monolith'"],
      [['--timeout', 'monolith=0'], 'option --timeout: monolith must be from 1 to 900'],
      [['--cold-start-ms=-5'], 'option --cold-start-ms must be a whole number from 0'],
      [['--api', 'soap'], 'option --api must be one of http, rest'],
      [['--topology', 'microservices'], 'option --topology must be one of monolith'],
    ] as const
    for (const [args, message] of cases) {
      const result = await aplus('dev', ...args)
      expect(result.code, args.join(' ')).toBe(2)
      expect(result.stderr).toContain(message)
    }
  })

  it('refuses a config file that is missing, not JSON, or names a wrong key', async () => {
    const bad = join(workDir, 'bad.json')
    await writeFile(bad, JSON.stringify({ lambda: { accountConcurency: 10 } }))
    const notJson = join(workDir, 'not.json')
    await writeFile(notJson, 'lambda: {}')
    const missing = await aplus('dev', '--config', join(workDir, 'missing.json'))
    expect(missing).toMatchObject({
      code: 2,
      stderr: expect.stringContaining('cannot read config file'),
    })
    const wrongKey = await aplus('dev', '--config', bad)
    expect(wrongKey).toMatchObject({ code: 2, stderr: expect.stringContaining(`${bad}: lambda`) })
    expect(wrongKey.stderr).toContain('accountConcurency')
    const broken = await aplus('dev', '--config', notJson)
    expect(broken).toMatchObject({ code: 2, stderr: expect.stringContaining('is not valid JSON') })
  })

  it('serves until SIGINT, then stops cleanly and writes the timeline', async () => {
    const timelineFile = join(workDir, 'timeline.json')
    const child = spawn(
      process.execPath,
      [
        APLUS_BIN,
        'dev',
        '--timeline',
        timelineFile,
        '--log-dir',
        join(workDir, 'logs'),
        '--cold-start-ms',
        '0',
      ],
      { stdio: ['ignore', 'pipe', 'pipe'] },
    )
    try {
      const url = await firstLine(child)
      expect(url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/)
      const response = await fetch(`${url}/health`)
      expect(response.status).toBe(200)
      expect(response.headers.get('apigw-requestid')).toBeTruthy()

      child.kill('SIGINT')
      const code = await new Promise((resolve) => child.once('exit', resolve))
      expect(code).toBe(0)
      const timeline = JSON.parse(await readFile(timelineFile, 'utf8')) as TimelineExport
      expect(timeline.functions).toEqual(['monolith'])
      const requests = timeline.seconds.reduce((sum, second) => sum + second.gateway.requests, 0)
      const coldStarts = timeline.seconds.reduce(
        (sum, second) => sum + (second.functions.monolith?.coldStarts ?? 0),
        0,
      )
      expect({ requests, coldStarts }).toEqual({ requests: 1, coldStarts: 1 })
    } finally {
      if (child.exitCode === null) child.kill('SIGKILL')
    }
  })
})

function firstLine(child: ChildProcess): Promise<string> {
  return new Promise((resolve, reject) => {
    let buffered = ''
    let errors = ''
    child.stderr?.on('data', (chunk) => {
      errors += chunk
    })
    child.stdout?.on('data', (chunk) => {
      buffered += chunk
      const newline = buffered.indexOf('\n')
      if (newline >= 0) resolve(buffered.slice(0, newline))
    })
    child.once('exit', (code) => reject(new Error(`aplus dev exited ${code}: ${errors}`)))
  })
}
