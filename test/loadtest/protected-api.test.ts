import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import {
  defaultScenario,
  LoadTest,
  parseScenario,
  type Scenario,
  SetupError,
} from '../../src/loadtest/index.js'
import { type LocalCloud, startLocalCloud } from '../../src/local/cloud.js'
import { openTestTokens, type TestTokens } from '../support/tokens.js'

let cloud: LocalCloud
let buildDir: string
let tokens: TestTokens

beforeAll(async () => {
  buildDir = await mkdtemp(join(tmpdir(), 'aplus-build-'))
  tokens = await openTestTokens()
  cloud = await startLocalCloud({
    topology: 'monolith',
    buildDir,
    jwtKeyFile: tokens.keyFile,
    config: { lambda: { coldStartDelayMs: 0 } },
  })
})

afterAll(async () => {
  await cloud?.close()
  await tokens?.close()
  await rm(buildDir, { recursive: true, force: true })
})

/** The built-in scenario's mix and set-up, scaled down to seconds of load for a test. */
function shortDefaultScenario(): Scenario {
  return parseScenario(
    {
      ...defaultScenario,
      setup: { students: 12, courses: 3, enrollments: 12, courseCapacity: 1000 },
      load: {
        model: 'open',
        virtualUsers: 4,
        phases: [{ type: 'constant', ratePerSecond: 25, durationSeconds: 2 }],
      },
    },
    'built-in, shortened',
  )
}

const bearer = (token: string) => ({ authorization: `Bearer ${token}` })

describe('the load tester against the protected local cloud', () => {
  it("runs the built-in mix with instructors' tokens, one per virtual user, and loses no write", async () => {
    const minted: string[] = []
    const result = await new LoadTest({
      baseUrl: cloud.url,
      scenario: shortDefaultScenario(),
      headers: bearer(tokens.instructor),
      headersForUser: async (index) => {
        const token = await tokens.mint('instructor', `loadtest-user-${index}`)
        minted.push(token)
        return bearer(token)
      },
      verify: true,
    }).run()
    expect(minted).toHaveLength(4)
    expect(result.overall.statusCodes['401']).toBeUndefined()
    expect(result.overall.statusCodes['403']).toBeUndefined()
    expect(result.overall.failed).toBe(0)
    expect(result.overall.requests).toBe(50)
    expect(result.verify).toMatchObject({ lost: 0, duplicated: 0 })
    expect(result.verify?.checked).toBeGreaterThan(12)
  })

  it('stops before any load with a SetupError naming 401 when no token is given', async () => {
    const run = new LoadTest({ baseUrl: cloud.url, scenario: shortDefaultScenario() }).run()
    const error = await run.catch((failure: unknown) => failure)
    expect(error).toBeInstanceOf(SetupError)
    expect((error as Error).message).toContain('the target answered 401 Unauthorized')
  })

  it("names 403 when the token's role may not set up the data", async () => {
    const student = await tokens.mint('student', 'stu_aaaaaaaaaaaaaaaa')
    const run = new LoadTest({
      baseUrl: cloud.url,
      scenario: shortDefaultScenario(),
      headers: bearer(student),
    }).run()
    await expect(run).rejects.toThrow('the target answered 403 Forbidden')
  })
})
