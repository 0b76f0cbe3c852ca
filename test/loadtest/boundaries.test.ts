import { readdir, readFile } from 'node:fs/promises'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'

const root = new URL('../../src/loadtest/', import.meta.url).pathname

async function sourceFiles(folder: string): Promise<string[]> {
  const entries = await readdir(folder, { withFileTypes: true })
  const nested = await Promise.all(
    entries.map((entry) => {
      const path = join(folder, entry.name)
      if (entry.isDirectory()) return sourceFiles(path)
      return Promise.resolve(entry.name.endsWith('.ts') ? [path] : [])
    }),
  )
  return nested.flat()
}

describe('the load tester', () => {
  it('imports nothing from the backend, the local cloud or the CLI: it speaks HTTP only', async () => {
    const files = await sourceFiles(root)
    expect(files.length).toBeGreaterThan(20)
    for (const file of files) {
      const text = await readFile(file, 'utf8')
      const imports = [...text.matchAll(/from '([^']+)'/g)].map((match) => match[1] ?? '')
      const outside = imports.filter((specifier) =>
        /(^|\/)(local|api|store|lambda|topology|infra|experiment|cli)\//.test(specifier),
      )
      expect({ file, outside }).toEqual({ file, outside: [] })
    }
  })
})
