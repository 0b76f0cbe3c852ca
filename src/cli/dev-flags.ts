import type { CloudConfig, FunctionSettings } from '../local/settings.js'
import type { CapacitySpec } from '../store/capacity.js'
import { DEFAULT_STORE_PROFILE, STORE_PROFILES, type StoreProfileName } from '../store/profile.js'
import { functionsOf, TOPOLOGIES, type Topology } from '../topology/topologies.js'
import { assignmentFlags, choiceFlag, integerFlag, numberFlag, parseFlags } from './args.js'
import { capacityFlag } from './capacity-flag.js'
import { UsageError } from './command.js'

/** Everything `aplus dev` was asked for, checked and typed. */
export interface DevOptions {
  topology: Topology
  capacity: CapacitySpec
  storeProfile: StoreProfileName
  port: number
  dynamodbPort: number
  dataPath: string | undefined
  log: boolean
  logDir: string
  timelineFile: string | undefined
  configFile: string | undefined
  /** The Lambda and gateway settings the flags give; they override the config file's. */
  flagConfig: CloudConfig
}

const PER_FUNCTION = {
  reserved: { key: 'reservedConcurrency', min: 0, max: 1_000_000 },
  provisioned: { key: 'provisionedConcurrency', min: 0, max: 1_000_000 },
  memory: { key: 'memoryMb', min: 128, max: 10_240 },
  timeout: { key: 'timeoutSeconds', min: 1, max: 900 },
} as const satisfies Record<string, { key: keyof FunctionSettings; min: number; max: number }>

export function parseDevFlags(argv: readonly string[]): DevOptions {
  const { values } = parseFlags(argv, {
    topology: { type: 'string' },
    capacity: { type: 'string' },
    'store-profile': { type: 'string' },
    port: { type: 'string' },
    'dynamodb-port': { type: 'string' },
    data: { type: 'string' },
    log: { type: 'boolean' },
    'log-dir': { type: 'string' },
    timeline: { type: 'string' },
    config: { type: 'string' },
    'account-concurrency': { type: 'string' },
    'minimum-unreserved': { type: 'string' },
    reserved: { type: 'string', multiple: true },
    provisioned: { type: 'string', multiple: true },
    memory: { type: 'string', multiple: true },
    timeout: { type: 'string', multiple: true },
    'idle-reclaim-s': { type: 'string' },
    'cold-start-ms': { type: 'string' },
    api: { type: 'string' },
    'payload-format': { type: 'string' },
    'gateway-rate': { type: 'string' },
    'gateway-burst': { type: 'string' },
  })
  const topology = choiceFlag('topology', values.topology, TOPOLOGIES, 'monolith')
  const functions: Record<string, FunctionSettings> = {}
  for (const [flag, { key, min, max }] of Object.entries(PER_FUNCTION)) {
    const flagValues = values[flag as keyof typeof PER_FUNCTION]
    for (const [name, value] of assignmentFlags(flag, flagValues, { min, max })) {
      const known = functionsOf(topology).map((fn) => fn.name)
      if (!known.includes(name)) {
        throw new UsageError(
          `option --${flag}: no function named '${name}' in the ${topology} topology; its functions are: ${known.join(', ')}`,
        )
      }
      functions[name] = { ...functions[name], [key]: value }
    }
  }
  const optionalInteger = (name: string, value: string | undefined, min: number, max: number) =>
    value === undefined ? undefined : integerFlag(name, value, 0, { min, max })
  const idleReclaimSeconds = values['idle-reclaim-s']
  return {
    topology,
    capacity: capacityFlag(values.capacity),
    storeProfile: choiceFlag(
      'store-profile',
      values['store-profile'],
      Object.keys(STORE_PROFILES) as StoreProfileName[],
      DEFAULT_STORE_PROFILE,
    ),
    port: integerFlag('port', values.port, 0, { min: 0, max: 65535 }),
    dynamodbPort: integerFlag('dynamodb-port', values['dynamodb-port'], 0, { min: 0, max: 65535 }),
    dataPath: values.data,
    log: values.log ?? false,
    logDir: values['log-dir'] ?? '.aplus/logs',
    timelineFile: values.timeline,
    configFile: values.config,
    flagConfig: {
      lambda: {
        accountConcurrency: optionalInteger(
          'account-concurrency',
          values['account-concurrency'],
          1,
          1_000_000,
        ),
        minimumUnreservedConcurrency: optionalInteger(
          'minimum-unreserved',
          values['minimum-unreserved'],
          0,
          1_000_000,
        ),
        idleReclaimMs:
          idleReclaimSeconds === undefined
            ? undefined
            : Math.round(
                numberFlag('idle-reclaim-s', idleReclaimSeconds, 0, { min: 0.001, max: 86_400 }) *
                  1000,
              ),
        coldStartDelayMs: optionalInteger('cold-start-ms', values['cold-start-ms'], 0, 60_000),
        functions,
      },
      gateway: {
        api:
          values.api === undefined
            ? undefined
            : choiceFlag('api', values.api, ['http', 'rest'], 'http'),
        payloadFormat:
          values['payload-format'] === undefined
            ? undefined
            : choiceFlag('payload-format', values['payload-format'], ['2.0', '1.0'], '2.0'),
        ratePerSecond:
          values['gateway-rate'] === undefined
            ? undefined
            : numberFlag('gateway-rate', values['gateway-rate'], 0, { min: 0.001, max: 1_000_000 }),
        burst: optionalInteger('gateway-burst', values['gateway-burst'], 1, 1_000_000),
      },
    },
  }
}
