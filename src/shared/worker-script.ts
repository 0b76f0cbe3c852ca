import { extname } from 'node:path'
import { fileURLToPath } from 'node:url'
import { build } from 'esbuild'

const scripts = new Map<string, Promise<string>>()

/**
 * A module bundled into one CommonJS script for `new Worker(code, { eval: true })`, built once per
 * process. `besideUrl` is the importing module's `import.meta.url` and `name` the worker module's
 * file name without extension: it is found with the importer's own extension (.ts when running
 * from src/ under a TypeScript runner, .js from dist/), so the worker needs no TypeScript support
 * and no file of its own on disk.
 */
export function workerScript(besideUrl: string, name: string): Promise<string> {
  const entry = fileURLToPath(new URL(`./${name}${extname(besideUrl)}`, besideUrl))
  let script = scripts.get(entry)
  if (!script) {
    script = bundle(entry)
    scripts.set(entry, script)
  }
  return script
}

async function bundle(entry: string): Promise<string> {
  const result = await build({
    entryPoints: [entry],
    bundle: true,
    platform: 'node',
    format: 'cjs',
    target: 'node20',
    write: false,
    logLevel: 'silent',
  })
  const [output] = result.outputFiles
  if (!output) throw new Error(`esbuild produced no output for ${entry}`)
  return output.text
}
