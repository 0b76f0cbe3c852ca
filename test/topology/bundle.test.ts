import { createHash } from 'node:crypto'
import { mkdir, mkdtemp, readdir, readFile, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { BUNDLE_ENTRY_FILE, buildFunction, buildFunctionSync } from '../../src/topology/bundle.js'
import { type FunctionDefinition, functionsOf } from '../../src/topology/topologies.js'

/** Each file of a folder by name, as a SHA-256 (comparing megabytes byte by byte is slow). */
async function filesOf(directory: string): Promise<Map<string, string>> {
  const names = (await readdir(directory)).sort()
  const digest = async (name: string) =>
    createHash('sha256')
      .update(await readFile(join(directory, name)))
      .digest('hex')
  return new Map(await Promise.all(names.map(async (name) => [name, await digest(name)] as const)))
}

function servicesFunction(name: string): FunctionDefinition {
  const fn = functionsOf('services').find((candidate) => candidate.name === name)
  if (!fn) throw new Error(`the services topology has no function ${name}`)
  return fn
}

describe('function bundles', () => {
  let scratch: string
  beforeAll(async () => {
    scratch = await mkdtemp(join(tmpdir(), 'aplus-bundle-'))
  })
  afterAll(async () => {
    await rm(scratch, { recursive: true, force: true })
  })

  it('are the same bytes whichever folder they are built into, sync or async', async () => {
    const fn = servicesFunction('courses')
    const shallow = join(scratch, 'a')
    const deep = join(scratch, 'b', 'c', 'd', 'e')
    const asyncBundle = await buildFunction(fn, shallow)
    await buildFunction(fn, deep)
    const syncDir = join(scratch, 'sync')
    await mkdir(syncDir)
    const syncBundle = buildFunctionSync(fn, syncDir)

    const expected = await filesOf(shallow)
    expect([...expected.keys()]).toEqual([BUNDLE_ENTRY_FILE, `${BUNDLE_ENTRY_FILE}.map`])
    expect(await filesOf(deep)).toEqual(expected)
    expect(await filesOf(syncDir)).toEqual(expected)
    expect(syncBundle.bytes).toBe(asyncBundle.bytes)
    expect(asyncBundle.bytes).toBe((await readFile(asyncBundle.file)).byteLength)
  })

  it('name their sources relative to the package root in the source map', async () => {
    const directory = join(scratch, 'map')
    await buildFunction(servicesFunction('health'), directory)
    const map = JSON.parse(await readFile(join(directory, `${BUNDLE_ENTRY_FILE}.map`), 'utf8'))
    expect(map.sources).toContain('src/api/handlers/health.ts')
    expect(map.sources.every((source: string) => !source.startsWith('/'))).toBe(true)
  })
})
