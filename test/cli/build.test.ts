import { mkdtemp, rm, stat } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { aplus } from '../support/cli.js'

describe('aplus build', () => {
  it('bundles a topology and reports each function with its size', async () => {
    const out = await mkdtemp(join(tmpdir(), 'aplus-cli-build-'))
    try {
      const result = await aplus('build', '--topology', 'services', '--out', out, '--json')
      expect(result.code).toBe(0)
      const [report] = JSON.parse(result.stdout) as [
        { topology: string; bundles: { functionName: string; file: string; bytes: number }[] },
      ]
      expect(report.topology).toBe('services')
      expect(report.bundles.map((bundle) => bundle.functionName).sort()).toEqual([
        'courses',
        'enrollments',
        'fallback',
        'grades',
        'health',
        'students',
      ])
      for (const bundle of report.bundles) {
        expect((await stat(bundle.file)).size).toBe(bundle.bytes)
      }
    } finally {
      await rm(out, { recursive: true, force: true })
    }
  })

  it('refuses an unknown topology with exit code 2', async () => {
    const result = await aplus('build', '--topology', 'nanoservices')
    expect(result.code).toBe(2)
    expect(result.stderr).toContain(
      "option --topology must be one of monolith, services, per-route, all; got 'nanoservices'",
    )
  })
})
