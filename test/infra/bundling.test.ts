import { createHash } from 'node:crypto'
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { buildTopology, type FunctionBundle } from '../../src/topology/bundle.js'
import { functionNamesById, resourcesOf, type Synthesized, synthesize } from './synth.js'

/** Each file of a folder by name, as a SHA-256. */
async function digestsOf(directory: string): Promise<Record<string, string>> {
  const names = (await readdir(directory)).sort()
  const digests: Record<string, string> = {}
  for (const name of names) {
    digests[name] = createHash('sha256')
      .update(await readFile(join(directory, name)))
      .digest('hex')
  }
  return digests
}

/**
 * The one test that bundles for real and keeps CloudFormation validation on (both slow): the
 * assets `cdk deploy` would upload are the bundles the local cloud runs, file for file.
 */
describe('the services stack, synthesized with bundling and validation', () => {
  let synthesized: Synthesized
  let localBuildDir: string
  let localBundles: FunctionBundle[]

  beforeAll(async () => {
    localBuildDir = await mkdtemp(join(tmpdir(), 'aplus-local-build-'))
    localBundles = await buildTopology('services', localBuildDir)
    synthesized = synthesize({ topology: 'services' }, { bundling: true, validation: true })
  }, 120_000)
  afterAll(async () => {
    synthesized?.remove()
    if (localBuildDir) await rm(localBuildDir, { recursive: true, force: true })
  })

  it('deploys each function from an asset holding exactly its local bundle', async () => {
    const names = functionNamesById(synthesized.template)
    const assets = new Map<string, string>()
    for (const [id, fn] of resourcesOf(synthesized.template, 'AWS::Lambda::Function')) {
      const key = String((fn.Properties.Code as { S3Key: string }).S3Key)
      assets.set(String(names.get(id)), key.replace(/\.zip$/, ''))
    }
    expect(new Set(assets.values()).size).toBe(localBundles.length)
    for (const bundle of localBundles) {
      const hash = assets.get(bundle.functionName)
      const deployed = await digestsOf(join(synthesized.outdir, `asset.${hash}`))
      expect({ fn: bundle.functionName, files: deployed }).toEqual({
        fn: bundle.functionName,
        files: await digestsOf(bundle.directory),
      })
    }
  })
})
