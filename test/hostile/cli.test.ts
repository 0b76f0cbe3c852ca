import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import fc from 'fast-check'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { defaultScenario, parseScenario } from '../../src/loadtest/index.js'
import { parseEndpointConfig } from '../../src/local/dynamodb/endpoint-config.js'
import { parseCloudConfig, resolveCloudSettings } from '../../src/local/settings.js'
import { parseCapacitySpec } from '../../src/store/capacity.js'
import { aplus } from '../support/cli.js'
import { runCliInProcess } from '../support/cli-in-process.js'
import {
  edgeNumber,
  hostileJson,
  hostileString,
  notJson,
  PROTOTYPE_KEYS,
  type SpoiledDocument,
  spoiledDocument,
} from '../support/hostile.js'
import { CLI_COMMANDS, type CliCase, type CliPaths, cliCases } from '../support/hostile-cli.js'
import { assertProperty, PropertyTally, propertyParameters } from '../support/property-runs.js'

/** In-process runs per command (cheap), and command lines run as real processes (tens). */
const RUNS_PER_COMMAND = 150
const SPAWNED_CASES = 24

let paths: CliPaths
const tally = new PropertyTally('cli')

beforeAll(async () => {
  const directory = await mkdtemp(join(tmpdir(), 'aplus-cli-hostile-'))
  await mkdir(join(directory, 'configs'))
  paths = {
    directory,
    file: join(directory, 'configs', 'a-file'),
    devConfig: join(directory, 'configs', 'dev.json'),
    endpointConfig: join(directory, 'configs', 'dynamodb.json'),
    scenario: join(directory, 'configs', 'scenario.json'),
  }
  await writeFile(paths.file, 'not a directory')
  await writeFile(paths.devConfig, JSON.stringify({ lambda: { coldStartDelayMs: 0 } }))
  await writeFile(paths.endpointConfig, JSON.stringify({ governor: { burstSeconds: 60 } }))
  await writeFile(paths.scenario, JSON.stringify(defaultScenario))
})

afterAll(async () => {
  tally.write()
  await rm(paths.directory, { recursive: true, force: true })
})

/** Exit code 2, one line naming the option, no stack trace, nothing on stdout. */
function expectUsageError(
  result: { code: number | string; stdout: string; stderr: string },
  cliCase: CliCase,
) {
  const context = `aplus ${cliCase.command} ${cliCase.argv.join(' ').slice(0, 400)} [${cliCase.defect.slice(0, 200)}]: exit ${result.code}, stderr ${result.stderr.slice(0, 600)}`
  expect(result.code, context).toBe(2)
  expect(result.stderr, context).toContain(`aplus ${cliCase.command}: `)
  expect(result.stderr, context).toContain(cliCase.names)
  expect(result.stderr, context).not.toMatch(/\n\s+at /)
  expect(result.stdout, context).toBe('')
}

describe('every aplus command under hostile flags', () => {
  for (const command of CLI_COMMANDS) {
    it(`refuses every command line of aplus ${command} with one bad flag: exit 2 naming it`, async () => {
      await assertProperty(
        cliCases(command, paths),
        async (cliCase) => {
          const result = await runCliInProcess([command, ...cliCase.argv])
          tally.record(`aplus ${command}`, result.code)
          if (result.code === 'threw') throw result.error
          expectUsageError(result, cliCase)
        },
        RUNS_PER_COMMAND,
      )
    })
  }

  it('refuses them the same way as real processes, without a stack trace', async () => {
    const cases = fc
      .sample(
        fc.constantFrom(...CLI_COMMANDS).chain((command) => cliCases(command, paths)),
        {
          ...propertyParameters(SPAWNED_CASES),
          numRuns: propertyParameters(SPAWNED_CASES).numRuns,
        },
      )
      // A process cannot take a NUL byte in its arguments.
      .filter((cliCase) => !cliCase.argv.some((argument) => argument.includes('\u0000')))
    for (let start = 0; start < cases.length; start += 4) {
      await Promise.all(
        cases.slice(start, start + 4).map(async (cliCase) => {
          const result = await aplus(cliCase.command, ...cliCase.argv)
          tally.record('spawned', result.code)
          expectUsageError(result, cliCase)
        }),
      )
    }
  })
})

/** Valid files of each kind, to be spoiled in one place. */
const DEV_SETTINGS = {
  lambda: {
    accountConcurrency: 1000,
    minimumUnreservedConcurrency: 100,
    scalingEnvironments: 1000,
    scalingWindowMs: 10_000,
    idleReclaimMs: 600_000,
    coldStartDelayMs: 0,
    functions: { monolith: { reservedConcurrency: 5, memoryMb: 256, timeoutSeconds: 10 } },
  },
  gateway: {
    api: 'http',
    payloadFormat: '2.0',
    ratePerSecond: 10_000,
    burst: 5000,
    integrationTimeoutMs: 30_000,
  },
  faults: {
    seed: 3,
    dynamodb: {
      latencyMs: { distribution: 'uniform', minMs: 1, maxMs: 5 },
      internalErrorRate: 0.01,
      afterWorkShare: 0.5,
    },
    lambda: { crashRate: 0.01, initFailureRate: 0.01, functions: ['monolith'] },
  },
}

const ENDPOINT_CONFIG = {
  port: 0,
  capacity: 'provisioned:25/25',
  governor: {
    enforce: true,
    burstSeconds: 300,
    startingBalance: 'full',
    partitionCeiling: { enabled: true, readUnitsPerSecond: 3000, writeUnitsPerSecond: 1000 },
    onDemand: { warmReadUnitsPerSecond: 12_000, peakMultiplier: 2, peakWindowSeconds: 1800 },
    autoScaling: {
      timeScale: 1,
      periodSeconds: 60,
      tables: { aplus: { targetUtilizationPercent: 70, maxReadUnits: 100, maxWriteUnits: 100 } },
    },
    metrics: { historySeconds: 60 },
  },
}

const rejects = (check: () => unknown) => {
  try {
    check()
    return false
  } catch {
    return true
  }
}

/** How each kind of file is given to its command, and whether its own parser refuses a text. */
const FILE_KINDS = [
  {
    kind: 'the dev settings file',
    template: DEV_SETTINGS,
    argv: (file: string) => ['dev', '--topology=monolith', `--config=${file}`],
    option: '--config',
    refused: (text: string) =>
      rejects(() => resolveCloudSettings('monolith', parseCloudConfig(text, 'file'))),
  },
  {
    kind: 'the governor config file',
    template: ENDPOINT_CONFIG,
    argv: (file: string) => ['dynamodb', '--port=0', `--config=${file}`],
    option: '--config',
    refused: (text: string) =>
      rejects(() => {
        const config = parseEndpointConfig(text, 'file')
        if (config.capacity !== undefined) parseCapacitySpec(config.capacity)
      }),
  },
  {
    kind: 'the load test scenario file',
    template: defaultScenario,
    argv: (file: string) => ['loadtest', '--dry-run', `--scenario=${file}`],
    option: '--scenario',
    refused: (text: string) => rejects(() => parseScenario(JSON.parse(text), 'file')),
  },
]

/** YAML that expands exponentially through aliases if a parser lets it. */
const BILLION_LAUGHS = ['a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]']
  .concat(
    'bcdefghi'.split('').map((name, index) => {
      const previous = 'abcdefghi'[index]
      return `${name}: &${name} [${Array(9).fill(`*${previous}`).join(',')}]`
    }),
  )
  .join('\n')

const strangerKey = fc.oneof(
  fc.constantFrom(...PROTOTYPE_KEYS),
  fc.stringMatching(/^[a-z][A-Za-z0-9]{0,12}$/),
)
const replacement = fc.oneof(hostileJson, hostileString, edgeNumber, fc.constant(null))

/** A file's text: the template spoiled in one place, or something that is not the document at all. */
function fileTexts(template: unknown): fc.Arbitrary<{ text: string; spoiled?: SpoiledDocument }> {
  return fc.oneof(
    {
      weight: 4,
      arbitrary: spoiledDocument(template, replacement, strangerKey).map((spoiled) => ({
        text: JSON.stringify(spoiled.document, null, 2),
        spoiled,
      })),
    },
    notJson.map((text) => ({ text })),
    hostileJson.map((value) => ({ text: JSON.stringify(value) ?? 'null' })),
    fc
      .constantFrom(
        '',
        '\u0000\u0001',
        '{"a": 1} trailing',
        '---\n- a\n- b\n',
        '*alias',
        'a: &x [1]\nb: *y',
        BILLION_LAUGHS,
      )
      .map((text) => ({ text })),
  )
}

describe('every config file under hostile contents', () => {
  for (const fileKind of FILE_KINDS) {
    it(`refuses every spoiled ${fileKind.kind}: exit 2 naming the option and the key`, async () => {
      let sequence = 0
      await assertProperty(
        fileTexts(fileKind.template).filter(({ text }) => fileKind.refused(text)),
        async ({ text, spoiled }) => {
          sequence += 1
          const file = join(paths.directory, `case-${sequence}.json`)
          await writeFile(file, text)
          const argv = fileKind.argv(file)
          const result = await runCliInProcess(argv)
          tally.record(fileKind.kind, result.code)
          if (result.code === 'threw') throw result.error
          const keys = (spoiled?.path ?? []).filter((key): key is string => typeof key === 'string')
          const context = `${argv.join(' ')} with ${text.slice(0, 300)}: exit ${result.code}, ${result.stderr.slice(0, 600)}`
          expect(result.code, context).toBe(2)
          expect(result.stderr, context).toContain(`aplus ${argv[0]}: option ${fileKind.option}: `)
          expect(result.stderr, context).not.toMatch(/\n\s+at /)
          if (keys.length > 0) {
            expect(
              keys.some((key) => result.stderr.includes(key)),
              `${context} (path ${keys.join('.')})`,
            ).toBe(true)
          }
        },
        RUNS_PER_COMMAND,
      )
    })
  }
})
