import { mkdir, rm } from 'node:fs/promises'
import { dirname, join, relative, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'
import { build } from 'esbuild'
import { entrySource } from './entry-source.js'
import { type FunctionDefinition, functionsOf, type Topology } from './topologies.js'

/** The package root, found from this file whether it runs from src/ or from dist/. */
export const PACKAGE_ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..')
const SOURCE_DIR = join(PACKAGE_ROOT, 'src')

/** Where bundles go unless told otherwise: one folder per topology, one per function. */
export const DEFAULT_BUILD_DIR = join(PACKAGE_ROOT, '.aplus', 'build')

/** The runtime the bundles are deployed on (`nodejs22.x`) and run on locally (Node 20+). */
const BUNDLE_TARGET = 'node20'

export interface FunctionBundle {
  functionName: string
  /** Absolute path of the bundle's entry file (`index.mjs`, exporting `handler`). */
  file: string
  directory: string
  bytes: number
  /** The project's own source files in the bundle, relative to the package root. */
  sourceFiles: string[]
}

/**
 * Bundles every function of a topology with esbuild into its own `index.mjs`: ESM, minified,
 * with a source map beside it, holding only the code its routes reach (the AWS SDK included, so
 * the deployed code is exactly the code tested, whatever SDK the runtime ships).
 */
export async function buildTopology(
  topology: Topology,
  outDir: string = DEFAULT_BUILD_DIR,
): Promise<FunctionBundle[]> {
  const topologyDir = join(outDir, topology)
  await rm(topologyDir, { recursive: true, force: true })
  return Promise.all(
    functionsOf(topology).map((fn) => buildFunction(fn, join(topologyDir, fn.name))),
  )
}

async function buildFunction(fn: FunctionDefinition, directory: string): Promise<FunctionBundle> {
  await mkdir(directory, { recursive: true })
  const file = join(directory, 'index.mjs')
  const result = await build({
    stdin: {
      contents: entrySource(fn),
      resolveDir: SOURCE_DIR,
      sourcefile: `${fn.name}.entry.ts`,
      loader: 'ts',
    },
    outfile: file,
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: BUNDLE_TARGET,
    // Prefer the ESM builds of dependencies; CommonJS parts that still `require` Node's
    // built-ins get a real `require` from the banner.
    mainFields: ['module', 'main'],
    banner: {
      js: "import { createRequire as __aplusCreateRequire } from 'node:module'; const require = __aplusCreateRequire(import.meta.url);",
    },
    minify: true,
    sourcemap: true,
    metafile: true,
    legalComments: 'none',
    logLevel: 'silent',
  })
  const output = Object.entries(result.metafile.outputs).find(
    ([path]) => resolve(path) === file,
  )?.[1]
  const sourceFiles = Object.keys(output?.inputs ?? {})
    .map((input) => relative(PACKAGE_ROOT, resolve(input)))
    .filter((input) => input.startsWith('src/'))
    .sort()
  return { functionName: fn.name, file, directory, bytes: output?.bytes ?? 0, sourceFiles }
}
