import { writeFileSync } from 'node:fs'
import { mkdir, rm, writeFile } from 'node:fs/promises'
import { basename, dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { type BuildOptions, build, buildSync, type Metafile, type OutputFile } from 'esbuild'
import { entrySource } from './entry-source.js'
import { type FunctionDefinition, functionsOf, type Topology } from './topologies.js'

/** The package root, found from this file whether it runs from src/ or from dist/. */
export const PACKAGE_ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..')
const SOURCE_DIR = join(PACKAGE_ROOT, 'src')

/** Where bundles go unless told otherwise: one folder per topology, one per function. */
export const DEFAULT_BUILD_DIR = join(PACKAGE_ROOT, '.aplus', 'build')

/** The file a bundle's handler lives in; Lambda's handler setting is `index.handler`. */
export const BUNDLE_ENTRY_FILE = 'index.mjs'

/**
 * The esbuild settings of every bundle, the ones the local cloud runs and the ones the CDK app
 * deploys alike: ESM, minified, with a source map beside it, holding only the code its routes
 * reach (the AWS SDK included, so the deployed code is exactly the code tested, whatever SDK
 * the runtime ships).
 */
export const BUNDLE_OPTIONS = {
  bundle: true,
  platform: 'node',
  format: 'esm',
  // Runs locally on Node 20+ and deploys on nodejs22.x: the older of the two decides.
  target: 'node20',
  // Prefer the ESM builds of dependencies; CommonJS parts that still `require` Node's
  // built-ins get a real `require` from the banner.
  mainFields: ['module', 'main'],
  banner: {
    js: "import { createRequire as __aplusCreateRequire } from 'node:module'; const require = __aplusCreateRequire(import.meta.url);",
  },
  minify: true,
  sourcemap: true,
  legalComments: 'none',
  logLevel: 'silent',
  // Which sources went into each bundle (it changes nothing in the output).
  metafile: true,
  // Paths in the source map are relative to the package root, wherever the bundle is written,
  // so a bundle's bytes do not depend on the folder it is built into: the local build and the
  // CDK's asset of the same function are the same files.
  absWorkingDir: PACKAGE_ROOT,
  outfile: join(PACKAGE_ROOT, BUNDLE_ENTRY_FILE),
  write: false,
} as const satisfies BuildOptions

export interface FunctionBundle {
  functionName: string
  /** Absolute path of the bundle's entry file (`index.mjs`, exporting `handler`). */
  file: string
  directory: string
  /** Size of the entry file alone, without its source map. */
  bytes: number
  /** The project's own source files in the bundle, relative to the package root. */
  sourceFiles: string[]
}

/** The complete esbuild call for one function: the shared settings and its generated entry. */
export function bundleBuildOptions(fn: FunctionDefinition): BuildOptions & { write: false } {
  return {
    ...BUNDLE_OPTIONS,
    stdin: {
      contents: entrySource(fn),
      resolveDir: SOURCE_DIR,
      sourcefile: `${fn.name}.entry.ts`,
      loader: 'ts',
    },
  }
}

/** Bundles every function of a topology into its own folder under `outDir/<topology>/`. */
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

/** Bundles one function into `directory` (`index.mjs` and its map). */
export async function buildFunction(
  fn: FunctionDefinition,
  directory: string,
): Promise<FunctionBundle> {
  const result = await build(bundleBuildOptions(fn))
  await mkdir(directory, { recursive: true })
  await Promise.all(
    result.outputFiles.map((file) =>
      writeFile(join(directory, basename(file.path)), file.contents),
    ),
  )
  return describeBundle(fn, directory, result)
}

/**
 * The same bundle, built synchronously: for callers that cannot wait, such as the CDK's local
 * bundling hook. Same options, same entry, same bytes as buildFunction.
 */
export function buildFunctionSync(fn: FunctionDefinition, directory: string): FunctionBundle {
  const result = buildSync(bundleBuildOptions(fn))
  for (const file of result.outputFiles) {
    writeFileSync(join(directory, basename(file.path)), file.contents)
  }
  return describeBundle(fn, directory, result)
}

function describeBundle(
  fn: FunctionDefinition,
  directory: string,
  result: { outputFiles: readonly OutputFile[]; metafile?: Metafile },
): FunctionBundle {
  const entry = result.outputFiles.find((file) => basename(file.path) === BUNDLE_ENTRY_FILE)
  if (!entry) throw new Error(`esbuild wrote no ${BUNDLE_ENTRY_FILE} for function ${fn.name}`)
  const file = join(directory, BUNDLE_ENTRY_FILE)
  // Metafile paths are relative to absWorkingDir, the package root.
  const inputs = Object.keys(result.metafile?.outputs[BUNDLE_ENTRY_FILE]?.inputs ?? {})
  const sourceFiles = inputs.filter((input) => input.startsWith('src/')).sort()
  return { functionName: fn.name, file, directory, bytes: entry.contents.byteLength, sourceFiles }
}
