import { writeFile } from 'node:fs/promises'
import { resolve } from 'node:path'
import { startLocalCloud } from '../local/cloud.js'
import type { CloudAuth } from '../local/cloud-auth.js'
import { DataDirectoryError } from '../local/dynamodb/data-directory.js'
import { injectsAnything } from '../local/faults/config.js'
import { FunctionLogFiles, formatFunctionLog } from '../local/function-log-files.js'
import type { GatewayRequestRecord } from '../local/gateway/server.js'
import type { FunctionLog } from '../local/lambda/events.js'
import { PortInUseError } from '../local/net.js'
import {
  type CloudConfig,
  CloudConfigError,
  type CloudSettings,
  loadCloudConfig,
  resolveCloudSettings,
} from '../local/settings.js'
import { formatCapacitySpec } from '../store/capacity.js'
import type { Topology } from '../topology/topologies.js'
import { UsageError } from './command.js'
import type { DevOptions } from './dev-flags.js'
import { writableDirectory, writableFile } from './output-paths.js'
import { untilStopped } from './until-stopped.js'

/** Runs the local cloud until SIGINT or SIGTERM, then stops every environment and exits 0. */
export async function runDev(options: DevOptions): Promise<number> {
  const layers: CloudConfig[] = []
  if (!options.log) await writableDirectory('log-dir', resolve(options.logDir, options.topology))
  if (options.timelineFile) await writableFile('timeline', options.timelineFile)
  const logFiles = options.log
    ? undefined
    : new FunctionLogFiles(resolve(options.logDir, options.topology), (error) =>
        process.stderr.write(`aplus dev: cannot write function logs: ${error.message}\n`),
      )
  let cloud: Awaited<ReturnType<typeof startLocalCloud>>
  try {
    if (options.configFile) layers.push(await configFlag(options.configFile, options.topology))
    layers.push(options.flagConfig)
    process.stderr.write(`aplus dev: building the ${options.topology} functions and starting…\n`)
    cloud = await startLocalCloud({
      topology: options.topology,
      capacity: options.capacity,
      storeProfile: options.storeProfile,
      port: options.port,
      dynamodbPort: options.dynamodbPort,
      ...(options.dataPath === undefined ? {} : { dataPath: options.dataPath }),
      config: layers,
      ...(options.log ? { onRequest: printRequest } : {}),
      onLog: (log) => (logFiles ? logFiles.write(log) : printLog(log)),
    })
  } catch (error) {
    if (error instanceof PortInUseError || error instanceof CloudConfigError) {
      throw new UsageError(error.message)
    }
    if (error instanceof DataDirectoryError) throw new UsageError(`option --data: ${error.message}`)
    throw error
  }
  process.stdout.write(`${cloud.url}\n`)
  process.stderr.write(describe(options, cloud.settings, cloud.tableName, cloud.dynamodbUrl))
  process.stderr.write(describeAuth(cloud.auth))
  if (logFiles)
    process.stderr.write(`  function logs in ${logFiles.directory} (--log prints them here)\n`)
  process.stderr.write('  Ctrl-C stops\n')

  await untilStopped()
  process.stderr.write('aplus dev: stopping every execution environment…\n')
  await cloud.close()
  await logFiles?.close()
  if (options.timelineFile) {
    await writeFile(options.timelineFile, `${JSON.stringify(cloud.timeline.export(), null, 2)}\n`)
    process.stderr.write(`aplus dev: timeline written to ${options.timelineFile}\n`)
  }
  return 0
}

/**
 * The --config file, read and checked on its own against the topology (its function names, its
 * reservations), so what is wrong with it names the option, the file and the key.
 */
async function configFlag(file: string, topology: Topology): Promise<CloudConfig> {
  let layer: CloudConfig
  try {
    layer = await loadCloudConfig(file)
  } catch (error) {
    if (error instanceof CloudConfigError) {
      throw new UsageError(`option --config: ${error.message}`, { cause: error })
    }
    throw error
  }
  try {
    resolveCloudSettings(topology, layer)
  } catch (error) {
    if (error instanceof CloudConfigError) {
      throw new UsageError(`option --config: ${file}: ${error.message}`, { cause: error })
    }
    throw error
  }
  return layer
}

function describe(
  options: DevOptions,
  settings: CloudSettings,
  table: string,
  dynamodbUrl: string,
) {
  const { lambda, gateway } = settings
  const functions = Object.entries(lambda.functions).map(([name, fn]) => {
    const parts = Object.entries(fn).map(([key, value]) => `${key} ${value}`)
    return `${name} (${parts.join(', ')})`
  })
  return [
    `aplus dev: ${options.topology} topology, ${gateway.api === 'http' ? 'HTTP' : 'REST'} API (payload ${gateway.payloadFormat})`,
    `  table ${table} (${formatCapacitySpec(options.capacity)}) at ${dynamodbUrl}`,
    `  Lambda: account concurrency ${lambda.accountConcurrency}, idle reclaim ${lambda.idleReclaimMs / 1000} s, cold start +${lambda.coldStartDelayMs} ms`,
    ...(functions.length > 0 ? [`  functions: ${functions.join('; ')}`] : []),
    ...(injectsAnything(settings.faults)
      ? [`  faults injected: ${JSON.stringify(settings.faults)}`]
      : []),
    '',
  ].join('\n')
}

function describeAuth(auth: CloudAuth): string {
  const who = auth.localIssuer
    ? 'tokens from `aplus token --role instructor|student --sub ID`'
    : `tokens of ${auth.issuer} for ${auth.audiences.join(', ')}`
  return `  routes that change data or read a student's record need a bearer token: ${who}\n`
}

function printRequest(record: GatewayRequestRecord): void {
  const target = record.functionName ? ` -> ${record.functionName}` : ''
  const why = record.failure
    ? ` (${[record.failure, record.lambdaError].filter(Boolean).join(': ')})`
    : ''
  process.stderr.write(
    `${record.statusCode} ${record.method} ${record.path} ${record.durationMs.toFixed(1)} ms${target}${why}\n`,
  )
}

function printLog(log: FunctionLog): void {
  process.stderr.write(`[${log.functionName}] ${formatFunctionLog(log)}\n`)
}
