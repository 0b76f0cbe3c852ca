import { Duration, RemovalPolicy } from 'aws-cdk-lib'
import type * as dynamodb from 'aws-cdk-lib/aws-dynamodb'
import * as iam from 'aws-cdk-lib/aws-iam'
import * as lambda from 'aws-cdk-lib/aws-lambda'
import * as logs from 'aws-cdk-lib/aws-logs'
import { Construct } from 'constructs'
import { authEnvironment } from '../auth/roles.js'
import { storeEnvironment } from '../store/environment.js'
import { TABLE } from '../store/table.js'
import type { FunctionDefinition } from '../topology/topologies.js'
import { dataAccessOf } from './data-access.js'
import { functionCode } from './function-code.js'
import { scopePrefixOf } from './identity-settings.js'
import type { DeploymentSettings } from './settings.js'

/** How long CloudWatch keeps the functions' logs: enough to study a run, cheap to store. */
export const LOG_RETENTION = logs.RetentionDays.ONE_WEEK

export const LAMBDA_RUNTIME = lambda.Runtime.NODEJS_22_X
export const LAMBDA_ARCHITECTURE = lambda.Architecture.ARM_64
/** The bundle's entry file is index.mjs and it exports `handler`. */
const HANDLER = 'index.handler'

/**
 * Variables the deployed functions get on top of the store's. The bundles ship source maps, so
 * stack traces in the logs name the TypeScript sources. It may cost cold-start time: Node reads
 * a bundle's map as it loads the bundle (bench/source-map-load.mjs measured 0–20% slower loading
 * of the monolith here), and the local cloud's environments, which run without the flag, do
 * not pay it.
 */
export const RUNTIME_ENVIRONMENT = { NODE_OPTIONS: '--enable-source-maps' } as const

/**
 * One Lambda function of the topology, its log group, and exactly the DynamoDB permissions its
 * routes need (src/infra/data-access.ts): none at all for a function that touches no data.
 */
export class AplusFunction extends Construct {
  readonly function: lambda.Function

  constructor(
    scope: Construct,
    readonly definition: FunctionDefinition,
    table: dynamodb.Table,
    settings: DeploymentSettings,
  ) {
    super(scope, definition.name)
    const logGroup = new logs.LogGroup(this, 'Logs', {
      retention: LOG_RETENTION,
      removalPolicy: RemovalPolicy.DESTROY,
    })
    this.function = new lambda.Function(this, 'Function', {
      description: `A+ API, ${settings.topology} topology: ${definition.name} (${definition.routes.length} routes)`,
      runtime: LAMBDA_RUNTIME,
      architecture: LAMBDA_ARCHITECTURE,
      handler: HANDLER,
      code: functionCode(definition),
      memorySize: definition.memoryMb,
      timeout: Duration.seconds(definition.timeoutSeconds),
      environment: {
        ...storeEnvironment({ tableName: table.tableName, storeProfile: settings.storeProfile }),
        ...RUNTIME_ENVIRONMENT,
        // The functions check roles too, reading scopes as this deployment's issuer writes them.
        ...authEnvironment(scopePrefixOf(settings.identity)),
      },
      reservedConcurrentExecutions: settings.reservedConcurrency[definition.name],
      logGroup,
    })
    grantDataAccess(this.function, definition, table)
  }
}

function grantDataAccess(
  fn: lambda.Function,
  definition: FunctionDefinition,
  table: dynamodb.Table,
): void {
  const access = dataAccessOf(definition)
  const dynamodbActions = (actions: readonly string[]) =>
    actions.map((action) => `dynamodb:${action}`)
  if (access.table.length > 0) {
    fn.addToRolePolicy(
      new iam.PolicyStatement({
        actions: dynamodbActions(access.table),
        resources: [table.tableArn],
      }),
    )
  }
  if (access.index.length > 0) {
    fn.addToRolePolicy(
      new iam.PolicyStatement({
        actions: dynamodbActions(access.index),
        resources: [`${table.tableArn}/index/${TABLE.index.name}`],
      }),
    )
  }
}
