import { DEFAULT_CAPACITY, formatCapacitySpec } from '../../store/capacity.js'
import {
  DEFAULT_STORE_PROFILE,
  STORE_PROFILES,
  type StoreProfileName,
} from '../../store/profile.js'
import { TOPOLOGIES } from '../../topology/topologies.js'
import { choiceFlag, integerFlag, parseFlags } from '../args.js'
import { capacityFlag } from '../capacity-flag.js'
import { type Command, UsageError } from '../command.js'
import { untilStopped } from '../until-stopped.js'

const usage = `Usage: aplus dev [options]

Starts the local cloud: the DynamoDB endpoint with the A+ table, the topology's functions and
the HTTP API in front of them. Prints the API's base URL on stdout, then serves until Ctrl-C.

Options:
  --topology NAME       monolith, services or per-route (default: monolith)
  --capacity SPEC       the table's capacity (default: ${formatCapacitySpec(DEFAULT_CAPACITY)}), e.g.
                        provisioned:25/25, provisioned:25/25,index=10/10, on-demand
  --store-profile NAME  the functions' DynamoDB client profile: ${Object.keys(STORE_PROFILES).join(', ')}
                        (default: ${DEFAULT_STORE_PROFILE})
  --port N              the API's port (default: 0, any free port)
  --dynamodb-port N     the DynamoDB endpoint's port (default: 0, any free port)
  --data DIR            keep DynamoDB's data on disk in DIR (default: in memory)
  --log                 print one line per request on stderr
  -h, --help            show this help
`

export const devCommand: Command = {
  name: 'dev',
  summary: 'start the local cloud (API Gateway, Lambda, DynamoDB) and serve the API',
  usage,
  async run(argv) {
    const { values } = parseFlags(argv, {
      topology: { type: 'string' },
      capacity: { type: 'string' },
      'store-profile': { type: 'string' },
      port: { type: 'string' },
      'dynamodb-port': { type: 'string' },
      data: { type: 'string' },
      log: { type: 'boolean' },
    })
    const topology = choiceFlag('topology', values.topology, TOPOLOGIES, 'monolith')
    const storeProfile = choiceFlag(
      'store-profile',
      values['store-profile'],
      Object.keys(STORE_PROFILES) as StoreProfileName[],
      DEFAULT_STORE_PROFILE,
    )
    const capacity = capacityFlag(values.capacity)
    const port = integerFlag('port', values.port, 0, { min: 0, max: 65535 })
    const dynamodbPort = integerFlag('dynamodb-port', values['dynamodb-port'], 0, {
      min: 0,
      max: 65535,
    })

    const { startLocalCloud } = await import('../../local/cloud.js')
    const { PortInUseError } = await import('../../local/net.js')
    try {
      const cloud = await startLocalCloud({
        topology,
        capacity,
        storeProfile,
        port,
        dynamodbPort,
        ...(values.data === undefined ? {} : { dataPath: values.data }),
        ...(values.log
          ? {
              onRequest: ({ method, path, statusCode, durationMs }) =>
                process.stderr.write(
                  `${statusCode} ${method} ${path} ${durationMs.toFixed(1)} ms\n`,
                ),
            }
          : {}),
      })
      process.stdout.write(`${cloud.url}\n`)
      process.stderr.write(
        `aplus dev: ${topology} topology, table ${cloud.tableName} (${formatCapacitySpec(capacity)}) at ${cloud.dynamodbUrl}; Ctrl-C stops\n`,
      )
      await untilStopped()
      await cloud.close()
      return 0
    } catch (error) {
      if (error instanceof PortInUseError) throw new UsageError(error.message)
      throw error
    }
  },
}
