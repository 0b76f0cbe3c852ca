import { TOPOLOGIES, type Topology } from '../../topology/topologies.js'
import { parseFlags } from '../args.js'
import { type Command, UsageError } from '../command.js'

const usage = `Usage: aplus build [options]

Bundles the functions of a topology with esbuild, one index.mjs per function, and prints each
bundle's size. These are the files the local cloud runs and the CDK app deploys.

Options:
  --topology NAME   monolith, services, per-route or all (default: all)
  --out DIR         where the bundles go (default: .aplus/build)
  --json            print the bundles as JSON on stdout
  -h, --help        show this help
`

export const buildCommand: Command = {
  name: 'build',
  summary: 'bundle the Lambda functions of a topology and report their sizes',
  usage,
  async run(argv) {
    const { values } = parseFlags(argv, {
      topology: { type: 'string' },
      out: { type: 'string' },
      json: { type: 'boolean' },
    })
    const topologies = selectTopologies(values.topology ?? 'all')
    const { buildTopology, DEFAULT_BUILD_DIR } = await import('../../topology/bundle.js')
    const { writableDirectory } = await import('../output-paths.js')
    await writableDirectory('out', values.out ?? DEFAULT_BUILD_DIR)
    const report = []
    for (const topology of topologies) {
      const bundles = await buildTopology(topology, values.out ?? DEFAULT_BUILD_DIR)
      report.push({ topology, bundles })
    }
    if (values.json) {
      process.stdout.write(`${JSON.stringify(report, null, 2)}\n`)
      return 0
    }
    for (const { topology, bundles } of report) {
      process.stdout.write(`${topology}\n`)
      for (const bundle of bundles) {
        const kib = (bundle.bytes / 1024).toFixed(1).padStart(8)
        process.stdout.write(`  ${bundle.functionName.padEnd(18)} ${kib} KiB  ${bundle.file}\n`)
      }
    }
    return 0
  },
}

function selectTopologies(value: string): readonly Topology[] {
  if (value === 'all') return TOPOLOGIES
  const topology = TOPOLOGIES.find((name) => name === value)
  if (!topology) {
    throw new UsageError(
      `option --topology must be one of ${TOPOLOGIES.join(', ')}, all; got '${value}'`,
    )
  }
  return [topology]
}
