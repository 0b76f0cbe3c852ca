import { formatCapacitySpec } from '../../store/capacity.js'
import { integerFlag, numberFlag, parseFlags } from '../args.js'
import { capacityFlag } from '../capacity-flag.js'
import { type Command, UsageError } from '../command.js'
import { untilStopped } from '../until-stopped.js'

/** DynamoDB Local's port, so clients configured for it work unchanged. */
const DEFAULT_PORT = 8000

const usage = `Usage: aplus dynamodb [options]

Starts the local DynamoDB alone: dynalite behind a capacity governor that throttles as AWS does
(provisioned and on-demand capacity, burst, per-index buckets, hot partition keys), speaking
DynamoDB's JSON protocol on loopback for any client: the AWS SDK, the AWS CLI
(--endpoint-url), NoSQL Workbench. Tables get the capacity their CreateTable declares.
Prints the endpoint URL on stdout, then serves until Ctrl-C. Per-second metrics (consumed and
provisioned units, burst balance, throttles, connections) are served as JSON at
<url>/_aplus/metrics.

Options:
  --port N                 the port (default: ${DEFAULT_PORT}; 0 picks a free one)
  --capacity SPEC          create the project's table 'aplus' with this capacity, or change an
                           existing one to it, e.g. provisioned:25/25,
                           provisioned:25/25,index=10/10, provisioned:25/25,autoscale=400/400,
                           on-demand, on-demand,max=100/100 (default: no table is touched)
  --burst-seconds N        unused capacity kept for bursts, in seconds (default: 300)
  --starting-balance B     a new table's bucket: empty, full, or a number of seconds
                           (default: full)
  --measure-only           admit every request; measure and report capacity, never throttle
  --data DIR               keep the data on disk in DIR (default: in memory)
  --config FILE            a JSON file with any of: port, capacity, data, governor (every
                           governor setting; see src/local/dynamodb/governor/config.ts);
                           flags given on the command line win
  -h, --help               show this help
`

export const dynamodbCommand: Command = {
  name: 'dynamodb',
  summary: 'start the local DynamoDB alone, throttling as AWS does, for any client',
  usage,
  async run(argv) {
    const { values } = parseFlags(argv, {
      port: { type: 'string' },
      capacity: { type: 'string' },
      'burst-seconds': { type: 'string' },
      'starting-balance': { type: 'string' },
      'measure-only': { type: 'boolean' },
      data: { type: 'string' },
      config: { type: 'string' },
    })
    const { readEndpointConfig, EndpointConfigError } = await import(
      '../../local/dynamodb/endpoint-config.js'
    )
    let file: Awaited<ReturnType<typeof readEndpointConfig>> | undefined
    try {
      file = values.config === undefined ? undefined : await readEndpointConfig(values.config)
    } catch (error) {
      if (error instanceof EndpointConfigError) {
        throw new UsageError(`option --config: ${error.message}`)
      }
      throw error
    }
    const port = integerFlag('port', values.port, file?.port ?? DEFAULT_PORT, {
      min: 0,
      max: 65535,
    })
    const capacity =
      values.capacity === undefined && file?.capacity !== undefined
        ? configCapacity(file.capacity, values.config ?? '')
        : capacityFlag(values.capacity, undefined)
    const governor = {
      ...file?.governor,
      ...(values['burst-seconds'] === undefined
        ? {}
        : { burstSeconds: numberFlag('burst-seconds', values['burst-seconds'], 0, { min: 0 }) }),
      ...(values['starting-balance'] === undefined
        ? {}
        : { startingBalance: startingBalanceFlag(values['starting-balance']) }),
      ...(values['measure-only'] ? { enforce: false } : {}),
    }
    const dataPath = values.data ?? file?.data

    const { startStandaloneDynamoDb } = await import('../../local/standalone-dynamodb.js')
    const { PortInUseError } = await import('../../local/net.js')
    const { DataDirectoryError } = await import('../../local/dynamodb/data-directory.js')
    try {
      const { dynamodb, tableName, table } = await startStandaloneDynamoDb({
        port,
        capacity,
        dataPath,
        governor,
        onInternalError: (error) => process.stderr.write(`aplus dynamodb: ${String(error)}\n`),
      })
      process.stdout.write(`${dynamodb.url}\n`)
      const tableNote = capacity
        ? `table ${tableName} ${table} (${formatCapacitySpec(capacity)})`
        : 'no table created'
      process.stderr.write(
        `aplus dynamodb: serving at ${dynamodb.url}; ${tableNote}; metrics at ${dynamodb.url}/_aplus/metrics; Ctrl-C stops\n`,
      )
      await untilStopped()
      await dynamodb.close()
      process.stderr.write('aplus dynamodb: stopped\n')
      return 0
    } catch (error) {
      if (error instanceof PortInUseError) throw new UsageError(error.message)
      if (error instanceof DataDirectoryError) {
        const source =
          values.data === undefined ? `config file ${values.config}: data` : 'option --data'
        throw new UsageError(`${source}: ${error.message}`)
      }
      throw error
    }
  },
}

function configCapacity(text: string, path: string) {
  try {
    return capacityFlag(text)
  } catch (error) {
    if (error instanceof UsageError) {
      throw new UsageError(
        error.message.replace(
          'option --capacity',
          `option --config: config file ${path}: capacity`,
        ),
      )
    }
    throw error
  }
}

function startingBalanceFlag(value: string): 'empty' | 'full' | number {
  if (value === 'empty' || value === 'full') return value
  const seconds = Number(value)
  if (value.trim() === '' || !Number.isFinite(seconds) || seconds < 0) {
    throw new UsageError(
      `option --starting-balance must be empty, full or a number of seconds (at least 0), got '${value}'`,
    )
  }
  return seconds
}
