import { DEFAULT_CAPACITY, formatCapacitySpec } from '../../store/capacity.js'
import {
  DEFAULT_STORE_PROFILE,
  STORE_PROFILES,
  type StoreProfileName,
} from '../../store/profile.js'
import { choiceFlag, parseFlags } from '../args.js'
import { capacityFlag } from '../capacity-flag.js'
import type { Command } from '../command.js'
import {
  identityFlags,
  rejectPositionals,
  requiredTopology,
  reservedConcurrencyFlag,
  splitCdkArguments,
} from './deployment-flags.js'

const usage = `Usage: aplus deploy --topology NAME [options] [-- CDK_OPTIONS]

Deploys one topology of the A+ backend to AWS with the project's CDK app, in a stack named
APlus-<topology>: the table, one Lambda function per function of the topology (the same bundles
\`aplus build\` makes and the local cloud runs), the HTTP API and its alarms. Runs \`cdk deploy\`
with these settings as context. Needs AWS credentials and an account bootstrapped once with
\`npx cdk bootstrap\`. The stack's ApiUrl output is the base URL for \`aplus loadtest --target\`.

Options:
  --topology NAME              monolith, services or per-route (required)
  --capacity SPEC              the table's capacity (default: ${formatCapacitySpec(DEFAULT_CAPACITY)}), e.g.
                               provisioned:25/25,autoscale=400/400,target=70 or on-demand,max=100/100
  --store-profile NAME         the functions' DynamoDB client profile: ${Object.keys(STORE_PROFILES).join(', ')}
                               (default: ${DEFAULT_STORE_PROFILE})
  --reserved-concurrency LIST  FUNCTION=COUNT pairs, e.g. enrollments=10,grades=5, or derived:
                               admission control from the table (default: none)
  --jwt-issuer URL             trust tokens of this OIDC issuer (https) instead of creating a
                               Cognito user pool in the stack (the default)
  --jwt-audience LIST          with --jwt-issuer: the audiences or client ids to accept, comma-separated
  --jwt-scope-prefix TEXT      with --jwt-issuer: what the issuer puts before the role in its
                               scopes, e.g. api/ for api/instructor (default: nothing)
  --outputs-file FILE          where cdk writes the stack's outputs
                               (default: .aplus/deploy/APlus-<topology>.json)
  --dry-run                    print the cdk command line on stdout and run nothing
  -h, --help                   show this help

Everything after -- goes to cdk as is, e.g. -- --profile lab --require-approval never
`

export const deployCommand: Command = {
  name: 'deploy',
  summary: 'deploy a topology to AWS with the CDK (cdk deploy)',
  usage,
  async run(argv) {
    const { own, cdk } = splitCdkArguments(argv)
    const { values, positionals } = parseFlags(own, {
      topology: { type: 'string' },
      capacity: { type: 'string' },
      'store-profile': { type: 'string' },
      'reserved-concurrency': { type: 'string' },
      'jwt-issuer': { type: 'string' },
      'jwt-audience': { type: 'string' },
      'jwt-scope-prefix': { type: 'string' },
      'outputs-file': { type: 'string' },
      'dry-run': { type: 'boolean' },
    })
    rejectPositionals(positionals)
    const topology = requiredTopology(values.topology)
    const capacity = capacityFlag(values.capacity)
    const storeProfile = choiceFlag(
      'store-profile',
      values['store-profile'],
      Object.keys(STORE_PROFILES) as StoreProfileName[],
      DEFAULT_STORE_PROFILE,
    )
    const settings = {
      topology,
      capacity,
      storeProfile,
      reservedConcurrency: reservedConcurrencyFlag(values['reserved-concurrency'], {
        topology,
        capacity,
        storeProfile,
      }),
      identity: identityFlags(
        values['jwt-issuer'],
        values['jwt-audience'],
        values['jwt-scope-prefix'],
      ),
    }

    const { cdkDeployArguments, outputsFileOf, runCdk, shellLine } = await import(
      '../../infra/cdk-command.js'
    )
    const { dirname, resolve } = await import('node:path')
    // cdk runs in the package root: a path the user typed is made absolute from here first.
    const given = values['outputs-file']
    const outputsFile = given === undefined ? outputsFileOf(topology) : resolve(given)
    const cdkArguments = cdkDeployArguments(settings, { outputsFile, extra: cdk })
    if (values['dry-run']) {
      process.stdout.write(`${shellLine(['npx', 'cdk', ...cdkArguments])}\n`)
      return 0
    }
    const { mkdir } = await import('node:fs/promises')
    await mkdir(dirname(outputsFile), { recursive: true })
    return runCdk(cdkArguments)
  },
}
