import { execFile } from 'node:child_process'
import { promisify } from 'node:util'
import { describe, expect, it } from 'vitest'

const run = promisify(execFile)
const bin = new URL('../../bin/aplus.js', import.meta.url).pathname

async function aplus(...args: string[]) {
  try {
    const { stdout, stderr } = await run(process.execPath, [bin, ...args])
    return { code: 0, stdout, stderr }
  } catch (error) {
    const failed = error as { code: number; stdout: string; stderr: string }
    return { code: failed.code, stdout: failed.stdout, stderr: failed.stderr }
  }
}

describe('the aplus command', () => {
  it('lists its commands with --help', async () => {
    const result = await aplus('--help')
    expect(result.code).toBe(0)
    expect(result.stdout).toContain('Usage: aplus <command>')
  })

  it('rejects an unknown command with exit code 2 and names it', async () => {
    const result = await aplus('frobnicate')
    expect(result.code).toBe(2)
    expect(result.stderr).toContain("unknown command 'frobnicate'")
  })
})
