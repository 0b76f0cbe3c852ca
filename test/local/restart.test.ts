import { type ChildProcess, spawn } from 'node:child_process'
import { once } from 'node:events'
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { createInterface } from 'node:readline'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { LoadTest, parseScenario } from '../../src/loadtest/index.js'
import { startLocalCloud } from '../../src/local/cloud.js'
import { openCloudAuth } from '../../src/local/cloud-auth.js'
import { instructorCredentials } from '../../src/local/instructor-credentials.js'
import { APLUS_BIN } from '../support/cli.js'

/**
 * Writes only: every request of the load is a create, an enrollment or a grade, so each
 * acknowledged answer is a write the restarted cloud must still hold.
 */
const WRITES = parseScenario(
  {
    name: 'restart-writes',
    seed: 11,
    setup: { students: 30, courses: 6, enrollments: 30, courseCapacity: 1000 },
    load: { model: 'open', phases: [{ type: 'constant', ratePerSecond: 60, durationSeconds: 3 }] },
    mix: [
      { request: 'createStudent', weight: 3 },
      { request: 'createCourse', weight: 1 },
      { request: 'enroll', weight: 4 },
      { request: 'putGrade', weight: 4 },
    ],
    // Generous: on a busy machine new environments start slowly, and a write still in flight when
    // the drain ends is not acknowledged, so it would not be checked.
    limits: { drainTimeoutMs: 20_000 },
  },
  'restart test',
)

const CLOUD = {
  topology: 'monolith',
  capacity: { mode: 'on-demand' },
  config: { lambda: { coldStartDelayMs: 0 } },
} as const

let workDir: string
let buildDir: string

beforeAll(async () => {
  workDir = await mkdtemp(join(tmpdir(), 'aplus-restart-'))
  buildDir = join(workDir, 'build')
})
afterAll(() => rm(workDir, { recursive: true, force: true }))

/** Runs the write load against `baseUrl`; every write the API acknowledged is in its ledger. */
async function writeLoad(baseUrl: string) {
  // Both the clouds and \`aplus dev\` trust the package's development signing key.
  const { headers } = await instructorCredentials(await openCloudAuth(undefined), 1)
  const test = new LoadTest({ baseUrl, scenario: WRITES, headers })
  const result = await test.run()
  // Every request of the load is a write, so its successes are acknowledged writes.
  const acknowledged = result.overall.succeeded
  return { test, result, acknowledged }
}

/** Starts a cloud on the data directory and reads back every write the load had acknowledged. */
async function expectEveryWriteAfterRestart(test: LoadTest, dataPath: string) {
  const restarted = await startLocalCloud({ ...CLOUD, buildDir, dataPath })
  try {
    const report = await test.verifyAt(restarted.url)
    expect(report.checked).toBeGreaterThan(100)
    expectNothingLost(report)
  } finally {
    await restarted.close()
  }
}

function expectNothingLost(report: Awaited<ReturnType<LoadTest['verifyAt']>>) {
  expect(report).toMatchObject({
    lost: 0,
    duplicated: 0,
    stale: 0,
    mismatched: 0,
    counterMismatches: 0,
    unverifiable: 0,
  })
}

// A slow machine may take the whole drain time; each test also starts two clouds.
describe('restarting the local cloud on its data directory', { timeout: 60_000 }, () => {
  it('loses no acknowledged write when the cloud is stopped and started again', async () => {
    const dataPath = join(workDir, 'graceful')
    const first = await startLocalCloud({ ...CLOUD, buildDir, dataPath })
    let load: Awaited<ReturnType<typeof writeLoad>>
    try {
      load = await writeLoad(first.url)
    } finally {
      await first.close()
    }
    expect(load.acknowledged).toBeGreaterThan(100)

    await expectEveryWriteAfterRestart(load.test, dataPath)
  })

  it('loses no acknowledged write when the aplus dev process is killed with SIGKILL', async () => {
    const dataPath = join(workDir, 'killed')
    const first = await startDev(dataPath)
    let load: Awaited<ReturnType<typeof writeLoad>>
    try {
      load = await writeLoad(first.url)
    } finally {
      const exited = once(first.child, 'exit')
      first.child.kill('SIGKILL')
      await exited
    }
    expect(load.acknowledged).toBeGreaterThan(100)

    await expectEveryWriteAfterRestart(load.test, dataPath)
  })
})

/** `aplus dev --data DIR` as its own process, so it can die as a process does. */
async function startDev(dataPath: string): Promise<{ child: ChildProcess; url: string }> {
  const child = spawn(
    process.execPath,
    [
      APLUS_BIN,
      'dev',
      '--capacity',
      'on-demand',
      '--cold-start-ms',
      '0',
      '--data',
      dataPath,
      '--log-dir',
      join(workDir, 'logs'),
    ],
    { stdio: ['ignore', 'pipe', 'pipe'] },
  )
  let stderr = ''
  child.stderr?.on('data', (chunk) => {
    stderr += chunk
  })
  const lines = createInterface({ input: child.stdout as NodeJS.ReadableStream })
  const [url] = (await Promise.race([
    once(lines, 'line'),
    once(child, 'exit').then(() => {
      throw new Error(`aplus dev exited before serving: ${stderr}`)
    }),
  ])) as [string]
  return { child, url }
}
