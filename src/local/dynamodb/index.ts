import type { FaultSettings } from '../faults/config.js'
import { DynamoDbFaults, injectsAtDynamoDb } from '../faults/dynamodb.js'
import { openFailure, prepareDataDirectory } from './data-directory.js'
import { DynamoDbEngine, type DynamoDbEngineOptions, SUPPORTED_OPERATIONS } from './engine.js'
import { validationError } from './errors.js'
import type { Clock } from './governor/clock.js'
import type { GovernorConfigInput } from './governor/config.js'
import { DATA_PLANE_OPERATIONS } from './governor/demand.js'
import { CapacityGovernor } from './governor/governor.js'
import { type DynamoDbServer, startDynamoDbServer } from './server.js'

/** Where the endpoint serves its metrics as JSON (GET); `?since=EPOCH_SECOND` for newer seconds. */
export const METRICS_PATH = '/_aplus/metrics'

/** How often the endpoint closes metric seconds and applies capacity changes without traffic. */
const TICK_INTERVAL_MS = 1000

function sinceEpochSecond(value: string | null): number {
  if (value === null) return Number.NEGATIVE_INFINITY
  const since = Number(value)
  if (value.trim() === '' || !Number.isFinite(since)) {
    throw validationError(`since must be an epoch second, got '${value}'`)
  }
  return since
}

export interface LocalDynamoDbOptions extends DynamoDbEngineOptions {
  port?: number
  /** The capacity governor's settings; enforcement is on by default. */
  governor?: GovernorConfigInput
  /** The governor's clock (tests pass a ManualClock); the system clock by default. */
  clock?: Clock
  onInternalError?: (error: unknown) => void
  /** Faults to inject (its `dynamodb` part and `seed`); none by default. */
  faults?: FaultSettings
}

export interface LocalDynamoDb {
  readonly engine: DynamoDbEngine
  readonly governor: CapacityGovernor
  readonly server: DynamoDbServer
  /** The fault injector, with its totals, when the run injects faults here. */
  readonly faults: DynamoDbFaults | undefined
  /** The endpoint URL, for AWS_ENDPOINT_URL_DYNAMODB. */
  readonly url: string
  close(): Promise<void>
}

/**
 * Starts the local DynamoDB: the in-process engine behind the capacity governor, behind a
 * wire-protocol server on loopback that also serves the governor's metrics. A data directory
 * that cannot be used is a DataDirectoryError before anything listens.
 */
export async function startLocalDynamoDb(
  options: LocalDynamoDbOptions = {},
): Promise<LocalDynamoDb> {
  if (options.path !== undefined) await prepareDataDirectory(options.path)
  const engine = DynamoDbEngine.open(options)
  try {
    await engine.opened()
  } catch (error) {
    throw openFailure(options.path ?? '(memory)', error)
  }
  const onError = options.onInternalError ?? (() => undefined)
  let governor: CapacityGovernor
  try {
    governor = new CapacityGovernor({
      engine,
      ...(options.governor === undefined ? {} : { config: options.governor }),
      ...(options.clock === undefined ? {} : { clock: options.clock }),
      onError,
    })
  } catch (error) {
    await engine.close()
    throw error
  }
  const faults =
    options.faults && injectsAtDynamoDb(options.faults.dynamodb)
      ? new DynamoDbFaults(options.faults.dynamodb, options.faults.seed, [...DATA_PLANE_OPERATIONS])
      : undefined
  let server: DynamoDbServer
  try {
    server = await startDynamoDbServer({
      handle: governor.handle,
      operations: SUPPORTED_OPERATIONS,
      ...(options.port === undefined ? {} : { port: options.port }),
      onInternalError: onError,
      ...(faults
        ? {
            faults: {
              applies: (operation) => faults.applies(operation),
              decide: () => faults.decide(),
              count: (kind, addedLatencyMs) => {
                faults.count(kind, addedLatencyMs)
                governor.metrics.countFault(kind, addedLatencyMs)
              },
            },
          }
        : {}),
      getRoutes: {
        [METRICS_PATH]: (query) => {
          governor.metrics.advance(governor.clock.nowMs())
          return {
            ...governor.snapshot(),
            connections: { ...server.connections },
            seconds: governor.metrics.seconds(sinceEpochSecond(query.get('since'))),
          }
        },
      },
    })
  } catch (error) {
    await engine.close()
    throw error
  }
  governor.metrics.countConnectionsWith(() => server.connections)
  governor.metrics.countRetriesWith(server.sdkRetries)
  const ticker = setInterval(() => governor.tick().catch(onError), TICK_INTERVAL_MS)
  ticker.unref()
  return {
    engine,
    governor,
    server,
    faults,
    url: server.url,
    async close() {
      clearInterval(ticker)
      await server.close()
      await governor.autoScaler.settled()
      await engine.close()
    },
  }
}
