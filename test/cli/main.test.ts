import { describe, expect, it } from 'vitest'
import { aplus } from '../support/cli.js'

describe('the aplus command', () => {
  it('lists its commands with --help', async () => {
    const result = await aplus('--help')
    expect(result.code).toBe(0)
    expect(result.stdout).toContain('Usage: aplus <command>')
    expect(result.stdout).toMatch(/^ {2}dev\s+start the local cloud/m)
  })

  it('rejects an unknown command with exit code 2 and names it', async () => {
    const result = await aplus('frobnicate')
    expect(result.code).toBe(2)
    expect(result.stderr).toContain("unknown command 'frobnicate'")
  })
})
