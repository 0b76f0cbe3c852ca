import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { stringify } from 'yaml'
import { ExperimentFileError, loadExperimentFile } from '../../src/experiment/definition.js'
import { experimentJsonSchema } from '../../src/experiment/json-schema.js'
import { phaseWindows, scenarioFor } from '../../src/experiment/scenario.js'
import { resolveVariants } from '../../src/experiment/variants.js'

const SEED_FILE = new URL('../../experiments/seed.yaml', import.meta.url).pathname
let folder: string

beforeAll(async () => {
  folder = await mkdtemp(join(tmpdir(), 'aplus-experiment-file-'))
})
afterAll(() => rm(folder, { recursive: true, force: true }))

// biome-ignore lint/suspicious/noExplicitAny: the test edits the parsed YAML freely; the loader checks it
type Data = Record<string, any>

/** The seed file as data, changed by `edit`, written to a file of its own. */
async function variantOfSeed(name: string, edit: (data: Data) => void) {
  const { parse } = await import('yaml')
  const data = parse(await readFile(SEED_FILE, 'utf8')) as Data
  edit(data)
  const file = join(folder, `${name}.yaml`)
  await writeFile(file, stringify(data))
  return file
}

async function problemsOf(file: string): Promise<string> {
  const error = await loadExperimentFile(file).then(
    () => undefined,
    (thrown: unknown) => thrown,
  )
  expect(error).toBeInstanceOf(ExperimentFileError)
  return (error as Error).message
}

describe('the experiment file', () => {
  it('reads the seed experiment and resolves its variants over the defaults', async () => {
    const experiment = await loadExperimentFile(SEED_FILE)
    const variants = resolveVariants(experiment, SEED_FILE)
    const perRoute = variants.find((variant) => variant.name === 'per-route')
    expect(perRoute?.settings).toMatchObject({
      topology: 'per-route',
      capacity: 'provisioned:25/25',
      startingBalance: 'empty',
      storeProfile: 'seed-era',
      model: 'closed',
    })
    expect(
      resolveVariants(experiment, SEED_FILE, { quick: true }).map((variant) => variant.name),
    ).toEqual(experiment.quick?.variants)
  })

  it('gives every variant the same workload and seed, in its own model', async () => {
    const experiment = await loadExperimentFile(SEED_FILE)
    const [closed, open] = resolveVariants(experiment, SEED_FILE, {
      only: ['monolith', 'monolith open'],
    })
    if (!closed || !open) throw new Error('variants missing')
    const closedScenario = scenarioFor(experiment, closed)
    const openScenario = scenarioFor(experiment, open, 0.5)
    expect(closedScenario.seed).toBe(openScenario.seed)
    expect(closedScenario.mix).toEqual(openScenario.mix)
    expect(closedScenario.load.model).toBe('closed')
    expect(openScenario.load.model).toBe('open')
    const windows = phaseWindows(experiment, open, 0.5)
    expect(windows.map((window) => window.name)).toEqual(['warm-up', 'moderate', 'high'])
    const phases = openScenario.load.model === 'open' ? openScenario.load.phases : []
    const plannedSeconds = phases.reduce((sum, phase) => sum + phase.durationSeconds, 0)
    expect(windows.at(-1)?.endSecond).toBe(plannedSeconds)
  })

  it('names an unknown key with its line', async () => {
    const file = await variantOfSeed('unknown-key', (data) => {
      data.defaults.burst = 'full'
    })
    expect(await problemsOf(file)).toMatch(
      /at \$\.defaults\.burst \(line \d+, column \d+\): unknown key 'burst'/,
    )
  })

  it('refuses a variant name used twice and a quick variant that does not exist', async () => {
    const file = await variantOfSeed('names', (data) => {
      data.variants.push({ name: 'monolith' })
      data.quick.variants.push('hybrid')
    })
    const message = await problemsOf(file)
    expect(message).toContain("variant name 'monolith' is used twice")
    expect(message).toContain("no variant is named 'hybrid'")
  })

  it('refuses a capacity spec that does not parse, naming the variant', async () => {
    const file = await variantOfSeed('capacity', (data) => {
      data.variants[1].capacity = 'provisioned:25'
    })
    expect(await problemsOf(file)).toMatch(
      /\$\.variants\[1\]\.capacity.*provisioned units must be READ\/WRITE/,
    )
  })

  it('refuses Lambda settings for a function the variant topology does not have', async () => {
    const file = await variantOfSeed('function', (data) => {
      data.variants[1].cloud = { lambda: { functions: { monolith: { reservedConcurrency: 5 } } } }
    })
    const experiment = await loadExperimentFile(file)
    expect(() => resolveVariants(experiment, file)).toThrow(
      /no function named 'monolith' in the per-route topology/,
    )
  })

  it('refuses a --variant that names no variant, listing the real ones', async () => {
    const experiment = await loadExperimentFile(SEED_FILE)
    expect(() => resolveVariants(experiment, SEED_FILE, { only: ['hybrid'] })).toThrow(
      /no variant is named 'hybrid'; variants: monolith, per-route/,
    )
  })

  it('has a checked-in JSON Schema equal to the one generated from the zod schema', async () => {
    const checkedIn = JSON.parse(
      await readFile(new URL('../../schema/experiment.schema.json', import.meta.url), 'utf8'),
    )
    // If this fails after changing the schema, run `npm run schemas` and commit the file.
    expect(checkedIn).toEqual(experimentJsonSchema())
  })
})
