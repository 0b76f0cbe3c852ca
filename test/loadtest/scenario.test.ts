import { mkdtemp, readFile, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import {
  defaultScenario,
  loadScenarioFile,
  parseScenario,
  ScenarioError,
  scenarioJsonSchema,
} from '../../src/loadtest/index.js'

const folder = await mkdtemp(join(tmpdir(), 'aplus-scenario-'))

async function problemWith(name: string, text: string): Promise<ScenarioError> {
  const file = join(folder, name)
  await writeFile(file, text)
  const error = await loadScenarioFile(file).catch((caught: unknown) => caught)
  expect(error).toBeInstanceOf(ScenarioError)
  return error as ScenarioError
}

const valid = {
  name: 'test',
  load: { model: 'open', phases: [{ type: 'constant', ratePerSecond: 10, durationSeconds: 1 }] },
  mix: [{ request: 'health', weight: 1 }],
}

describe('scenario files', () => {
  it('accept the built-in scenario and the example, filling in defaults', async () => {
    const builtIn = parseScenario(defaultScenario, 'built-in')
    expect(builtIn.limits.requestTimeoutMs).toBe(10_000)
    const example = await loadScenarioFile(
      new URL('../../examples/loadtest/spike.yaml', import.meta.url).pathname,
    )
    expect(example.load.model).toBe('open')
    const bench = await loadScenarioFile(
      new URL('../../bench/health-only.json', import.meta.url).pathname,
    )
    expect(bench.mix).toEqual([{ request: 'health', weight: 1 }])
  })

  it('name an unknown key with the file, its JSON path and its line', async () => {
    const error = await problemWith(
      'unknown.yaml',
      'name: x\nload:\n  model: open\n  phases:\n    - type: constant\n      rate: 5\n      durationSeconds: 1\nmix: [{ request: health, weight: 1 }]\n',
    )
    expect(error.message).toContain('unknown.yaml')
    expect(error.problems).toContainEqual(
      expect.objectContaining({ path: expect.stringContaining('$.load.phases[0].rate') }),
    )
    expect(error.message).toMatch(/phases\[0\]\.rate \(line 6, column 7\): unknown key 'rate'/)
  })

  it('reject wrong types with the path of the bad value', async () => {
    const error = await problemWith('types.json', JSON.stringify({ ...valid, seed: 'seven' }))
    expect(error.problems[0]?.path).toMatch(/^\$\.seed/)
  })

  it('reject impossible phases: negative rates, zero durations, a spike outside its phase', () => {
    const phases = [
      { type: 'constant', ratePerSecond: -5, durationSeconds: 1 },
      { type: 'ramp', fromRatePerSecond: 1, toRatePerSecond: 2, durationSeconds: 0 },
      {
        type: 'spike',
        baseRatePerSecond: 1,
        peakRatePerSecond: 9,
        durationSeconds: 5,
        spikeStartSeconds: 4,
        spikeDurationSeconds: 2,
      },
    ]
    const error = (() => {
      try {
        parseScenario({ ...valid, load: { model: 'open', phases } }, 'inline')
      } catch (caught) {
        return caught as ScenarioError
      }
    })()
    const paths = error?.problems.map((problem) => problem.path)
    expect(paths).toEqual(
      expect.arrayContaining([
        '$.load.phases[0].ratePerSecond',
        '$.load.phases[1].durationSeconds',
        '$.load.phases[2].spikeDurationSeconds',
      ]),
    )
  })

  it('reject a load that would send nothing, and a mix that names a kind twice', () => {
    expect(() =>
      parseScenario(
        {
          ...valid,
          load: {
            model: 'open',
            phases: [{ type: 'constant', ratePerSecond: 0, durationSeconds: 1 }],
          },
        },
        'inline',
      ),
    ).toThrow(/every phase has a rate of 0/)
    expect(() =>
      parseScenario(
        {
          ...valid,
          mix: [
            { request: 'health', weight: 1 },
            { request: 'health', weight: 2 },
          ],
        },
        'inline',
      ),
    ).toThrow(/\$\.mix\[1\]\.request.*appears twice/)
  })

  it('reject set-up enrollments that cannot fit', () => {
    expect(() =>
      parseScenario({ ...valid, setup: { students: 3, courses: 2, enrollments: 7 } }, 'inline'),
    ).toThrow(/\$\.setup\.enrollments: 7 enrollments cannot fit/)
  })

  it('report malformed YAML and a missing file as scenario errors', async () => {
    const error = await problemWith('broken.yaml', 'name: x\nload: [unclosed\n')
    expect(error.message).toMatch(/broken\.yaml at \$ \(line \d+, column \d+\)/)
    const missing = await loadScenarioFile(join(folder, 'nope.json')).catch(
      (caught: unknown) => caught,
    )
    expect(String(missing)).toContain('cannot read the file')
  })

  it('have a checked-in JSON Schema equal to the one generated from the zod schema', async () => {
    const checkedIn = JSON.parse(
      await readFile(new URL('../../schema/scenario.schema.json', import.meta.url), 'utf8'),
    )
    // If this fails after changing the schema, run `npm run schemas` and commit the file.
    expect(checkedIn).toEqual(scenarioJsonSchema())
  })
})
