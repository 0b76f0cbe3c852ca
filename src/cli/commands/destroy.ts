import { DEFAULT_CAPACITY } from '../../store/capacity.js'
import { DEFAULT_STORE_PROFILE } from '../../store/profile.js'
import { parseFlags } from '../args.js'
import type { Command } from '../command.js'
import { rejectPositionals, requiredTopology, splitCdkArguments } from './deployment-flags.js'

const usage = `Usage: aplus destroy --topology NAME [options] [-- CDK_OPTIONS]

Deletes the stack APlus-<topology> from AWS with \`cdk destroy\`: the HTTP API, the functions,
their logs and alarms, and the table with all its data. cdk asks for confirmation unless
--force is given.

Options:
  --topology NAME   monolith, services or per-route (required)
  --force           do not ask for confirmation
  --dry-run         print the cdk command line on stdout and run nothing
  -h, --help        show this help

Everything after -- goes to cdk as is, e.g. -- --profile lab
`

export const destroyCommand: Command = {
  name: 'destroy',
  summary: 'delete a deployed topology from AWS, table and data included (cdk destroy)',
  usage,
  async run(argv) {
    const { own, cdk } = splitCdkArguments(argv)
    const { values, positionals } = parseFlags(own, {
      topology: { type: 'string' },
      force: { type: 'boolean' },
      'dry-run': { type: 'boolean' },
    })
    rejectPositionals(positionals)
    // The stack is found by its name; the other settings only shape what it holds.
    const settings = {
      topology: requiredTopology(values.topology),
      capacity: DEFAULT_CAPACITY,
      storeProfile: DEFAULT_STORE_PROFILE,
      reservedConcurrency: {},
      identity: { provider: 'cognito' as const },
    }

    const { cdkDestroyArguments, runCdk, shellLine } = await import('../../infra/cdk-command.js')
    const cdkArguments = cdkDestroyArguments(settings, { force: values.force ?? false, extra: cdk })
    if (values['dry-run']) {
      process.stdout.write(`${shellLine(['npx', 'cdk', ...cdkArguments])}\n`)
      return 0
    }
    return runCdk(cdkArguments)
  },
}
