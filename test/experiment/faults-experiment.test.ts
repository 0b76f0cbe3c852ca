import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { ExperimentRun } from '../../src/experiment/results.js'
import { aplus, type CliResult } from '../support/cli.js'

// The faults experiment's quick run: two variants in fresh local clouds, about half a minute.
const QUICK_RUN_TIMEOUT_MS = 180_000

let out: string
let run: CliResult
let directory: string

beforeAll(async () => {
  out = await mkdtemp(join(tmpdir(), 'aplus-faults-experiment-'))
  run = await aplus('experiment', 'experiments/faults.yaml', '--quick', '--out', out)
  const [folder] = await readdir(out)
  directory = join(out, folder ?? '')
}, QUICK_RUN_TIMEOUT_MS)

afterAll(() => rm(out, { recursive: true, force: true }))

describe('aplus experiment experiments/faults.yaml --quick', () => {
  it('injects faults in the variant that asks for them and in no other', async () => {
    expect(run.code).toBe(0)
    const results = JSON.parse(
      await readFile(join(directory, 'results.json'), 'utf8'),
    ) as ExperimentRun
    const [clean, faulty] = results.variants.map((variant) => variant.summary)
    expect(Object.values(clean?.faults ?? {}).every((count) => count === 0)).toBe(true)
    expect(clean?.sdkRetries).toBe(0)

    const injectedErrors =
      (faulty?.faults.dynamodbInternalErrors ?? 0) +
      (faulty?.faults.dynamodbUnavailable ?? 0) +
      (faulty?.faults.dynamodbConnectionResets ?? 0)
    expect(injectedErrors).toBeGreaterThan(0)
    expect(faulty?.faults.dynamodbDelayed).toBeGreaterThan(0)
    expect(faulty?.faults.lambdaCrashes).toBeGreaterThan(0)
    // The SDK retries the injected DynamoDB errors; a crash fails the request it was serving.
    expect(faulty?.sdkRetries).toBeGreaterThan(0)
    expect(faulty?.hardFailures).toBeGreaterThan(0)
    expect(faulty?.lostWrites).toBe(0)
  })

  it('shows the faults beside their effect in the terminal and the report', async () => {
    expect(run.stdout).toMatch(/Injected faults\nvariant\s+DDB 500s/)
    const markdown = await readFile(join(directory, 'report.md'), 'utf8')
    expect(markdown).toContain('| variant | DDB 500s | DDB 503s |')
    expect(markdown).toMatch(/Faults injected during the load: .*Lambda environment crash/)
    expect(markdown).toContain('_Chart: Injected faults and failed requests')
  })
})
