import { execFile } from 'node:child_process'
import { mkdtemp, readFile, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { promisify } from 'node:util'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'

const run = promisify(execFile)
const main = new URL('../../dist/infra/main.js', import.meta.url).pathname

/** Runs the built CDK app the way the CDK CLI does: context and output folder by environment. */
async function synthApp(context: Record<string, unknown>, outdir: string) {
  try {
    const { stdout, stderr } = await run(process.execPath, [main], {
      env: {
        ...process.env,
        CDK_CONTEXT_JSON: JSON.stringify({ 'aws:cdk:bundling-stacks': [], ...context }),
        CDK_OUTDIR: outdir,
        CDK_VALIDATION: 'false',
      },
    })
    return { code: 0, stdout, stderr }
  } catch (error) {
    const failed = error as { code: number; stdout: string; stderr: string }
    return { code: failed.code, stdout: failed.stdout, stderr: failed.stderr }
  }
}

describe('the CDK app entry', () => {
  let outdir: string
  beforeEach(async () => {
    outdir = await mkdtemp(join(tmpdir(), 'aplus-cdk-main-'))
  })
  afterEach(async () => {
    await rm(outdir, { recursive: true, force: true })
  })

  it('writes the stack of the topology it is given', async () => {
    const result = await synthApp({ topology: 'per-route', capacity: 'on-demand' }, outdir)
    expect(result.code).toBe(0)
    const template = JSON.parse(
      await readFile(join(outdir, 'APlus-per-route.template.json'), 'utf8'),
    )
    expect(template.Description).toBe('A+ backend, per-route topology, table on-demand')
  })

  it('fails with one line naming the context key of a bad value, and writes no stack', async () => {
    const result = await synthApp({ capacity: 'provisioned:25' }, outdir)
    expect(result.code).toBe(1)
    expect(result.stderr).toBe(
      "aplus cdk app: context 'capacity': provisioned units must be READ/WRITE whole numbers of at least 1 (e.g. 25/25), got '25'\n",
    )
    await expect(readFile(join(outdir, 'APlus-monolith.template.json'))).rejects.toThrow('ENOENT')
  })
})
