import { ROUTES } from '../api/routes.js'
import { authEnvironment } from '../auth/roles.js'
import { type CapacitySpec, DEFAULT_CAPACITY } from '../store/capacity.js'
import { storeEnvironment } from '../store/environment.js'
import { DEFAULT_STORE_PROFILE, type StoreProfileName } from '../store/profile.js'
import { TABLE } from '../store/table.js'
import { buildTopology, type FunctionBundle } from '../topology/bundle.js'
import { functionsOf, routeOwners, type Topology } from '../topology/topologies.js'
import { type CloudAuth, openCloudAuth } from './cloud-auth.js'
import type { GovernorConfigInput } from './dynamodb/governor/config.js'
import { type LocalDynamoDb, startLocalDynamoDb } from './dynamodb/index.js'
import { type FaultsInput, resolveFaults } from './faults/config.js'
import { type Gateway, type GatewayRequestRecord, startGateway } from './gateway/server.js'
import type { FunctionLog } from './lambda/events.js'
import { LambdaService } from './lambda/service.js'
import { type CloudConfig, type CloudSettings, resolveCloudSettings } from './settings.js'
import {
  applyProjectTableCapacity,
  governorConfigFor,
  LOCAL_CREDENTIALS,
  LOCAL_REGION,
} from './table-setup.js'
import { Timeline } from './timeline.js'

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
  /** Bundles already built for this topology (by buildTopology); they are then not rebuilt. */
  bundles?: readonly FunctionBundle[]
  /** The DynamoDB capacity governor's settings (burst, starting balance…); auto scaling comes from `capacity`. */
  governor?: GovernorConfigInput
  /** Lambda and gateway settings, layered over AWS's defaults (later layers win). */
  config?: CloudConfig | readonly CloudConfig[]
  /**
   * The local issuer's signing key (default: .aplus/jwt/signing-key.json in the package, the
   * one `aplus token` signs with). Unused when the config names another issuer.
   */
  jwtKeyFile?: string
  /** Faults to inject in this run (src/local/faults); they replace any `faults` of `config`. */
  faults?: FaultsInput
  /** One call per gateway request, after the response is written. */
  onRequest?: (record: GatewayRequestRecord) => void
  /** Every line the functions log (console.* and raw stdout/stderr), with its environment. */
  onLog?: (log: FunctionLog) => void
}

export interface LocalCloud {
  /** The API's base URL, `http://127.0.0.1:PORT`. */
  readonly url: string
  readonly dynamodbUrl: string
  /** The DynamoDB endpoint, with its governor's metrics (`dynamodb.governor.metrics.subscribe`). */
  readonly dynamodb: LocalDynamoDb
  readonly tableName: string
  readonly settings: CloudSettings
  /** Whom the gateway's JWT authorizer trusts; `auth.localIssuer` mints tokens it accepts. */
  readonly auth: CloudAuth
  readonly lambda: LambdaService
  /** API Gateway, with its connection counts. */
  readonly gateway: Gateway
  /** Per-second counts for every function and the gateway; see timeline.ts. */
  readonly timeline: Timeline
  /** Stops the gateway, every execution environment and the DynamoDB endpoint. */
  close(): Promise<void>
}

/**
 * Starts the whole local cloud for one topology: the DynamoDB endpoint with the project's table,
 * the Lambda service with the topology's functions (each in its own execution environments), and
 * API Gateway in front of them, with a JWT authorizer on every route that has scopes.
 */
export async function startLocalCloud(options: LocalCloudOptions): Promise<LocalCloud> {
  const layers = options.config === undefined ? [] : [options.config].flat()
  if (options.faults !== undefined) layers.push({ faults: resolveFaults(options.faults) })
  const settings = resolveCloudSettings(options.topology, ...layers)
  const auth = await openCloudAuth(settings.gateway.authorizer, options.jwtKeyFile)
  const tableName = TABLE.defaultName
  const capacity = options.capacity ?? DEFAULT_CAPACITY
  const dynamodb = await startLocalDynamoDb({
    ...(options.dynamodbPort === undefined ? {} : { port: options.dynamodbPort }),
    ...(options.dataPath === undefined ? {} : { path: options.dataPath }),
    governor: governorConfigFor(tableName, capacity, options.governor),
    faults: settings.faults,
  })
  let lambda: LambdaService | undefined
  let gateway: Gateway | undefined
  try {
    // On a data directory kept from an earlier run the table exists: it keeps its data and gets
    // this run's capacity.
    await applyProjectTableCapacity(dynamodb.url, tableName, capacity)
    const bundles = options.bundles ?? (await buildTopology(options.topology, options.buildDir))
    const environment = {
      ...storeEnvironment({
        tableName,
        storeProfile: options.storeProfile ?? DEFAULT_STORE_PROFILE,
      }),
      AWS_ENDPOINT_URL_DYNAMODB: dynamodb.url,
      AWS_ACCESS_KEY_ID: LOCAL_CREDENTIALS.accessKeyId,
      AWS_SECRET_ACCESS_KEY: LOCAL_CREDENTIALS.secretAccessKey,
      ...authEnvironment(auth.scopePrefix),
      // The functions deploy on nodejs22.x; here they run on this Node, which the SDK would
      // otherwise warn about in every environment.
      AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
    }
    const functions = functionsOf(options.topology)
    const timeline = new Timeline(functions.map((fn) => fn.name))
    lambda = await LambdaService.start({
      region: LOCAL_REGION,
      account: settings.lambda,
      idleReclaimMs: settings.lambda.idleReclaimMs,
      coldStartDelayMs: settings.lambda.coldStartDelayMs,
      faults: settings.faults,
      onEvent: (event) => {
        timeline.recordLambda(event)
        if (event.type === 'log') options.onLog?.(event)
      },
      functions: functions.map((fn) => {
        const overrides = settings.lambda.functions[fn.name] ?? {}
        const bundle = bundles.find((candidate) => candidate.functionName === fn.name)
        if (!bundle) throw new Error(`no bundle was built for function '${fn.name}'`)
        return {
          name: fn.name,
          bundleFile: bundle.file,
          memoryMb: overrides.memoryMb ?? fn.memoryMb,
          timeoutSeconds: overrides.timeoutSeconds ?? fn.timeoutSeconds,
          reservedConcurrency: overrides.reservedConcurrency,
          provisionedConcurrency: overrides.provisionedConcurrency,
          environment,
        }
      }),
    })
    const owners = routeOwners(options.topology)
    gateway = await startGateway({
      routes: ROUTES,
      functionOf: (key) => owners.get(key) ?? '',
      lambda,
      api: settings.gateway.api,
      payloadFormat: settings.gateway.payloadFormat,
      throttle: { ratePerSecond: settings.gateway.ratePerSecond, burst: settings.gateway.burst },
      authorizer: auth.gatewayAuthorizer,
      throttledInvoke: settings.gateway.throttledInvoke,
      ...(settings.gateway.integrationTimeoutMs === undefined
        ? {}
        : { integrationTimeoutMs: settings.gateway.integrationTimeoutMs }),
      ...(options.port === undefined ? {} : { port: options.port }),
      onRequest: (record) => {
        timeline.recordRequest(record)
        options.onRequest?.(record)
      },
    })
    return cloudHandle({ gateway, lambda, timeline, dynamodb, settings, auth, tableName })
  } catch (error) {
    await gateway?.close()
    await lambda?.close()
    await dynamodb.close()
    throw error
  }
}

function cloudHandle(parts: {
  gateway: Gateway
  lambda: LambdaService
  timeline: Timeline
  dynamodb: LocalDynamoDb
  settings: CloudSettings
  auth: CloudAuth
  tableName: string
}): LocalCloud {
  const { gateway, lambda, timeline, dynamodb } = parts
  let closing: Promise<void> | undefined
  return {
    url: gateway.url,
    dynamodbUrl: dynamodb.url,
    dynamodb,
    tableName: parts.tableName,
    settings: parts.settings,
    auth: parts.auth,
    lambda,
    gateway,
    timeline,
    close() {
      closing ??= (async () => {
        await gateway.close()
        await lambda.close()
        timeline.stop()
        await dynamodb.close()
      })()
      return closing
    },
  }
}
