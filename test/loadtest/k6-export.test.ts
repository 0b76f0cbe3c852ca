import { execFile } from 'node:child_process'
import { mkdtemp, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { pathToFileURL } from 'node:url'
import { promisify } from 'node:util'
import { describe, expect, it } from 'vitest'
import {
  defaultScenario,
  exportK6Script,
  parseScenario,
  parseThreshold,
} from '../../src/loadtest/index.js'
import { scenarioOf } from './helpers.js'

const run = promisify(execFile)
const folder = await mkdtemp(join(tmpdir(), 'aplus-k6-'))

/** Stand-ins for k6's modules that record the requests a script makes, so it can run in Node. */
const SHIM = `
export const calls = []
let id = 0
function respond(method, url, body, params) {
  calls.push({ method, url, body, name: params?.tags?.name })
  const path = url.replace(/^https?:\\/\\/[^/]+/, '')
  if (method === 'POST' && path === '/students') return { status: 201, body: JSON.stringify({ studentId: 'stu_' + ++id }) }
  if (method === 'POST' && path === '/courses') return { status: 201, body: JSON.stringify({ courseId: 'crs_' + ++id }) }
  if (method === 'POST') return { status: 201, body: '{}' }
  return { status: 200, body: '{}' }
}
export default {
  get: (url, params) => respond('GET', url, undefined, params),
  post: (url, body, params) => respond('POST', url, body, params),
  put: (url, body, params) => respond('PUT', url, body, params),
  expectedStatuses: (...codes) => ({ codes }),
}
export function sleep() {}
`

async function writeScript(script: string, name: string): Promise<string> {
  const file = join(folder, name)
  await writeFile(file, script)
  return file
}

describe('--export k6', () => {
  const scenario = parseScenario(
    {
      ...defaultScenario,
      load: {
        model: 'open',
        phases: [
          { type: 'ramp', fromRatePerSecond: 5, toRatePerSecond: 50, durationSeconds: 10 },
          { type: 'constant', ratePerSecond: 50, durationSeconds: 20 },
          {
            type: 'step',
            fromRatePerSecond: 60,
            toRatePerSecond: 80,
            steps: 3,
            durationSeconds: 9,
          },
        ],
      },
    },
    'test',
  )
  const script = exportK6Script(scenario, {
    baseUrl: 'http://127.0.0.1:3000',
    thresholds: [parseThreshold('p99<800', false), parseThreshold('failure_rate<0.01', false)],
  })

  it('writes syntactically valid JavaScript', async () => {
    const file = await writeScript(script, 'script.mjs')
    await expect(run(process.execPath, ['--check', file])).resolves.toBeDefined()
  })

  it('turns the phases into ramping-arrival-rate stages, jumps into zero-length stages', () => {
    const options = JSON.parse(/export const options = (\{[\s\S]*?\n\})/.exec(script)?.[1] ?? '{}')
    expect(options.scenarios.aplus).toMatchObject({
      executor: 'ramping-arrival-rate',
      startRate: 5,
      timeUnit: '1s',
      stages: [
        { target: 50, duration: '10000ms' },
        { target: 50, duration: '20000ms' },
        { target: 60, duration: '0s' },
        { target: 60, duration: '3000ms' },
        { target: 70, duration: '0s' },
        { target: 70, duration: '3000ms' },
        { target: 80, duration: '0s' },
        { target: 80, duration: '3000ms' },
      ],
    })
    expect(options.thresholds).toEqual({
      'http_req_duration{expected_response:true}': ['p(99)<800'],
      http_req_failed: ['rate<0.01'],
    })
  })

  it('uses constant-arrival-rate for one constant phase and constant-vus for a closed model', () => {
    const constant = exportK6Script(scenarioOf({}))
    expect(constant).toContain('"executor": "constant-arrival-rate"')
    const closed = exportK6Script(
      scenarioOf({ load: { model: 'closed', virtualUsers: 7, durationSeconds: 3 } }),
    )
    expect(closed).toMatch(/"executor": "constant-vus",\s+"vus": 7/)
  })

  it('runs in a k6-like runtime: set-up creates the data, iterations follow the mix', async () => {
    const shim = await writeScript(SHIM, 'k6-shim.mjs')
    const runnable = script
      .replace("from 'k6/http'", `from '${pathToFileURL(shim).href}'`)
      .replace("from 'k6'", `from '${pathToFileURL(shim).href}'`)
    const globals = 'globalThis.__ENV = {}; globalThis.__VU = 1;\n'
    const file = await writeScript(globals + runnable, 'runnable.mjs')
    const module = await import(pathToFileURL(file).href)
    const { calls } = await import(pathToFileURL(shim).href)

    const data = module.setup()
    expect(data.studentIds).toHaveLength(100)
    expect(data.courseIds).toHaveLength(10)
    expect(data.enrollments).toHaveLength(200)
    calls.length = 0
    for (let iteration = 0; iteration < 2000; iteration += 1) module.default(data)

    const byName = new Map<string, number>()
    for (const call of calls) byName.set(call.name, (byName.get(call.name) ?? 0) + 1)
    // getCourse has weight 25 of 100 in the built-in mix.
    expect((byName.get('GET /courses/{courseId}') ?? 0) / 2000).toBeGreaterThan(0.2)
    expect((byName.get('GET /courses/{courseId}') ?? 0) / 2000).toBeLessThan(0.3)
    expect(
      calls.every((call: { url: string }) => call.url.startsWith('http://127.0.0.1:3000/')),
    ).toBe(true)
  })
})
