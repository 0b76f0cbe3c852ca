import { ROUTES } from '../api/routes.js'
import { type CapacitySpec, DEFAULT_CAPACITY } from '../store/capacity.js'
import { storeEnvironment } from '../store/environment.js'
import { DEFAULT_STORE_PROFILE, type StoreProfileName } from '../store/profile.js'
import { TABLE } from '../store/table.js'
import { buildTopology } from '../topology/bundle.js'
import { routeOwners, type Topology } from '../topology/topologies.js'
import type { GovernorConfigInput } from './dynamodb/governor/config.js'
import { type LocalDynamoDb, startLocalDynamoDb } from './dynamodb/index.js'
import { type Gateway, type GatewayOptions, startGateway } from './gateway/server.js'
import { loadBundlesInProcess } from './lambda/in-process.js'
import {
  createProjectTable,
  governorConfigFor,
  LOCAL_CREDENTIALS,
  LOCAL_REGION,
} from './table-setup.js'

export interface LocalCloudOptions {
  topology: Topology
  capacity?: CapacitySpec
  storeProfile?: StoreProfileName
  /** Gateway port; 0 (the default) picks a free one. */
  port?: number
  /** DynamoDB endpoint port; 0 (the default) picks a free one. */
  dynamodbPort?: number
  /** A directory for DynamoDB's data on disk; in memory when absent. */
  dataPath?: string
  /** Where the topology's bundles are built (default: .aplus/build in the package). */
  buildDir?: string
  /** The DynamoDB capacity governor's settings (burst, starting balance…); auto scaling comes from `capacity`. */
  governor?: GovernorConfigInput
  onRequest?: GatewayOptions['onRequest']
}

export interface LocalCloud {
  /** The API's base URL, `http://127.0.0.1:PORT`. */
  readonly url: string
  readonly dynamodbUrl: string
  /** The DynamoDB endpoint, with its governor's metrics (`dynamodb.governor.metrics.subscribe`). */
  readonly dynamodb: LocalDynamoDb
  readonly tableName: string
  close(): Promise<void>
}

/**
 * Starts the whole local cloud for one topology: the DynamoDB endpoint with the project's table,
 * the topology's function bundles, and the HTTP API in front of them.
 */
export async function startLocalCloud(options: LocalCloudOptions): Promise<LocalCloud> {
  const tableName = TABLE.defaultName
  const capacity = options.capacity ?? DEFAULT_CAPACITY
  const dynamodb = await startLocalDynamoDb({
    ...(options.dynamodbPort === undefined ? {} : { port: options.dynamodbPort }),
    ...(options.dataPath === undefined ? {} : { path: options.dataPath }),
    governor: governorConfigFor(tableName, capacity, options.governor),
  })
  let gateway: Gateway | undefined
  try {
    await createProjectTable(dynamodb.url, tableName, capacity)
    const bundles = await buildTopology(options.topology, options.buildDir)
    const invoke = await loadBundlesInProcess(bundles, {
      ...storeEnvironment({
        tableName,
        storeProfile: options.storeProfile ?? DEFAULT_STORE_PROFILE,
      }),
      AWS_REGION: LOCAL_REGION,
      AWS_ENDPOINT_URL_DYNAMODB: dynamodb.url,
      AWS_ACCESS_KEY_ID: LOCAL_CREDENTIALS.accessKeyId,
      AWS_SECRET_ACCESS_KEY: LOCAL_CREDENTIALS.secretAccessKey,
    })
    const owners = routeOwners(options.topology)
    gateway = await startGateway({
      routes: ROUTES,
      functionOf: (key) => owners.get(key) ?? '',
      invoke,
      ...(options.port === undefined ? {} : { port: options.port }),
      ...(options.onRequest ? { onRequest: options.onRequest } : {}),
    })
  } catch (error) {
    await dynamodb.close()
    throw error
  }
  const started = gateway
  return {
    url: started.url,
    dynamodbUrl: dynamodb.url,
    dynamodb,
    tableName,
    async close() {
      await started.close()
      await dynamodb.close()
    },
  }
}
