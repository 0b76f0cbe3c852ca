// How much --enable-source-maps (set on every deployed function) slows loading a bundle: the
// monolith's bundle is loaded in fresh Node processes, alternating with and without the flag, and
// the medians are compared. Needs `npm run build` first. Usage: node bench/source-map-load.mjs [runs]
import { execFileSync } from 'node:child_process'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { pathToFileURL } from 'node:url'

const runs = Number(process.argv[2] ?? 15)
const { buildTopology } = await import('../dist/topology/bundle.js')
const outDir = mkdtempSync(join(tmpdir(), 'aplus-bench-maps-'))

try {
  const [bundle] = await buildTopology('monolith', outDir)
  const probe = `const t = performance.now(); await import(${JSON.stringify(pathToFileURL(bundle.file).href)}); process.stdout.write(String(performance.now() - t))`
  const env = {
    ...process.env,
    TABLE_NAME: 'bench',
    AWS_REGION: 'us-east-1',
    AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
  }
  const loadMs = (flags) =>
    Number(execFileSync(process.execPath, [...flags, '--input-type=module', '-e', probe], { env }))
  const plain = []
  const mapped = []
  for (let run = 0; run < runs; run++) {
    plain.push(loadMs([]))
    mapped.push(loadMs(['--enable-source-maps']))
    process.stderr.write('.')
  }
  const median = (values) => values.sort((a, b) => a - b)[Math.floor(values.length / 2)]
  const result = {
    bundleBytes: bundle.bytes,
    runs,
    plainMedianMs: Number(median(plain).toFixed(1)),
    sourceMapsMedianMs: Number(median(mapped).toFixed(1)),
  }
  result.ratio = Number((result.sourceMapsMedianMs / result.plainMedianMs).toFixed(2))
  process.stderr.write('\n')
  process.stdout.write(`${JSON.stringify(result)}\n`)
} finally {
  rmSync(outDir, { recursive: true, force: true })
}
