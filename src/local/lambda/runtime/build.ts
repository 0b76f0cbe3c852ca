import { extname } from 'node:path'
import { fileURLToPath } from 'node:url'
import { build } from 'esbuild'

let bootstrapCode: Promise<string> | undefined

/**
 * The runtime bootstrap as one CommonJS script, for `new Worker(code, { eval: true })`. It is
 * bundled once per process from bootstrap.ts (or the compiled bootstrap.js when running from
 * dist/), so the worker needs no TypeScript support and no file of its own on disk.
 */
export function bootstrapSource(): Promise<string> {
  bootstrapCode ??= bundleBootstrap()
  return bootstrapCode
}

async function bundleBootstrap(): Promise<string> {
  // Beside this module, with this module's own extension: .ts from src/, .js from dist/.
  const entry = fileURLToPath(new URL(`./bootstrap${extname(import.meta.url)}`, import.meta.url))
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
