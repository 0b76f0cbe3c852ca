import { parseFlags } from '../args.js'
import { type Command, UsageError } from '../command.js'

const DEFAULT_FILE = 'experiments/seed.yaml'

const usage = `Usage: aplus experiment [FILE] [options]

Runs an experiment: every variant in FILE (default: ${DEFAULT_FILE}) in a fresh local cloud under
the same workload and load profile, then prints the comparison and writes a report with charts:
report/<experiment>-<time>/ holds index.html (open it in a browser, no network needed),
report.md and results.json (everything measured, kept even if a variant fails).

Options:
  --quick            run the shortened matrix the file names under quick (for CI)
  --variant NAME     run only this variant (repeatable)
  --out DIR          where the run's folder goes (default: report)
  --json             print the results document on stdout instead of the table
  -h, --help         show this help

Exit codes: 0 when every variant completed, 1 when one did not, 2 for a bad file or flag.
`

export const experimentCommand: Command = {
  name: 'experiment',
  summary: 'run monolith against split functions on the local cloud and write a report',
  usage,
  async run(argv) {
    const { values, positionals } = parseFlags(argv, {
      quick: { type: 'boolean' },
      variant: { type: 'string', multiple: true },
      out: { type: 'string' },
      json: { type: 'boolean' },
    })
    if (positionals.length > 1) {
      throw new UsageError(
        `expected at most one experiment file, got ${positionals.length}: ${positionals.join(' ')}`,
      )
    }
    const { runExperimentCommand } = await import('../experiment/run.js')
    return runExperimentCommand({
      file: positionals[0] ?? DEFAULT_FILE,
      quick: values.quick ?? false,
      only: values.variant,
      outDir: values.out ?? 'report',
      json: values.json ?? false,
    })
  },
}
