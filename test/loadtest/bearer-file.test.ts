import { mkdtemp, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { aplus } from '../support/cli.js'
import { type FakeAplus, startFakeAplus } from './fake-aplus.js'

const TOKENS = ['token-one', 'token-two', 'token-three'] as const

let fake: FakeAplus
let folder: string

beforeAll(async () => {
  fake = await startFakeAplus({ bearerTokens: TOKENS })
  folder = await mkdtemp(join(tmpdir(), 'aplus-bearer-'))
})

afterAll(async () => {
  await fake.close()
  await rm(folder, { recursive: true, force: true })
})

async function tokenFile(name: string, text: string): Promise<string> {
  const file = join(folder, name)
  await writeFile(file, text)
  return file
}

describe('aplus loadtest --bearer-file', () => {
  it('gives the tokens to the virtual users in turn, and the first to set-up and --verify', async () => {
    const file = await tokenFile(
      'tokens.txt',
      `# one token a line\n${TOKENS[0]}\n\nBearer ${TOKENS[1]}\n${TOKENS[2]}\n`,
    )
    const { code, stdout, stderr } = await aplus(
      'loadtest',
      '--target',
      fake.url,
      '--bearer-file',
      file,
      '--rate',
      '60',
      '--duration',
      '1',
      '--verify',
      '--json',
    )
    expect(code, stderr).toBe(0)
    const result = JSON.parse(stdout)
    expect(result.overall.requests).toBe(60)
    expect(result.overall.failed).toBe(0)
    expect(result.verify.lost).toBe(0)
    const [one = 0, two = 0, three = 0] = TOKENS.map((token) => fake.tokensSeen.get(token))
    // 20 load requests each; set-up (310 writes) and the read-back go with the first token.
    expect(two).toBeGreaterThanOrEqual(20)
    expect(three).toBeGreaterThanOrEqual(20)
    expect(one).toBeGreaterThan(two + 300)
    expect(stderr).not.toContain('token-two')
  })

  it('leaves set-up and --verify to an Authorization given with --header', async () => {
    fake.tokensSeen.clear()
    const file = await tokenFile('two.txt', `${TOKENS[1]}\n${TOKENS[2]}\n`)
    const { code, stderr } = await aplus(
      'loadtest',
      '--target',
      fake.url,
      '--header',
      `Authorization: Bearer ${TOKENS[0]}`,
      '--bearer-file',
      file,
      '--users',
      '2',
      '--duration',
      '1',
      '--max-requests',
      '40',
      '--quiet',
    )
    expect(code, stderr).toBe(0)
    expect(fake.tokensSeen.get(TOKENS[0])).toBeGreaterThanOrEqual(310)
    expect(fake.tokensSeen.get(TOKENS[1])).toBeGreaterThan(0)
    expect(fake.tokensSeen.get(TOKENS[2])).toBeGreaterThan(0)
  })

  it('says why set-up failed when the target wants a token', async () => {
    const { code, stderr } = await aplus('loadtest', '--target', fake.url, '--rate', '5')
    expect(code).toBe(1)
    expect(stderr).toContain('the target answered 401 Unauthorized: send a token')
  })

  it.each([
    [
      'a missing file',
      async () => join(folder, 'absent.txt'),
      /--bearer-file: cannot read '.*absent\.txt'/,
    ],
    ['a file without tokens', () => tokenFile('empty.txt', '# nothing\n\n'), /holds no token/],
    [
      'a line that is not one token',
      () => tokenFile('spaces.txt', 'good-token\nhas a space\n'),
      /line 2 of '.*spaces\.txt' is not one token/,
    ],
  ])('exits 2 for %s, sending nothing', async (_, file, message) => {
    const before = fake.writes.acknowledged
    const { code, stderr } = await aplus(
      'loadtest',
      '--target',
      fake.url,
      '--bearer-file',
      await file(),
      '--rate',
      '5',
    )
    expect(code).toBe(2)
    expect(stderr).toMatch(message)
    expect(stderr).not.toContain('good-token')
    expect(fake.writes.acknowledged).toBe(before)
  })

  it('refuses --bearer-file with --export', async () => {
    const file = await tokenFile('export.txt', 'tok\n')
    const { code, stderr } = await aplus('loadtest', '--export', 'k6', '--bearer-file', file)
    expect(code).toBe(2)
    expect(stderr).toContain('option --bearer-file does not apply to --export')
  })
})
