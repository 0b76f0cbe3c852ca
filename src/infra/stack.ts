import { CfnOutput, Stack, type StackProps, Tags } from 'aws-cdk-lib'
import type * as lambda from 'aws-cdk-lib/aws-lambda'
import type { Construct } from 'constructs'
import { formatCapacitySpec } from '../store/capacity.js'
import { functionsOf } from '../topology/topologies.js'
import { AplusAlarms } from './alarms.js'
import { AplusFunction } from './functions.js'
import { createHttpApi } from './http-api.js'
import { createApiIdentity } from './identity.js'
import type { DeploymentSettings } from './settings.js'
import { createAplusTable } from './table.js'

export interface AplusStackProps extends StackProps {
  readonly settings: DeploymentSettings
}

/** Tags every resource carries, so cost and metrics can be told apart per deployment. */
export const TAG_KEYS = { topology: 'aplus:topology', function: 'aplus:function' } as const

/**
 * One deployment of the A+ backend: the table, one Lambda function per function of the
 * topology, the HTTP API routing to them behind a JWT authorizer (the stack's own Cognito user
 * pool unless another issuer is named), and the alarms. Outputs the API's base URL (ApiUrl),
 * for `aplus loadtest --target`.
 */
export class AplusStack extends Stack {
  readonly functions: ReadonlyMap<string, lambda.Function>
  readonly settings: DeploymentSettings

  constructor(scope: Construct, id: string, props: AplusStackProps) {
    const { settings } = props
    super(scope, id, {
      description: `A+ backend, ${settings.topology} topology, table ${formatCapacitySpec(settings.capacity)}`,
      ...props,
    })
    this.settings = settings
    Tags.of(this).add(TAG_KEYS.topology, settings.topology)

    const table = createAplusTable(this, settings.capacity)
    const functions = new Map<string, lambda.Function>()
    for (const definition of functionsOf(settings.topology)) {
      const { function: fn } = new AplusFunction(this, definition, table, settings)
      Tags.of(fn).add(TAG_KEYS.function, definition.name)
      functions.set(definition.name, fn)
    }
    this.functions = functions
    const identity = createApiIdentity(this, settings.identity, settings.topology)
    const api = createHttpApi(this, id, settings.topology, functions, identity)
    new AplusAlarms(this, 'Alarms', { table, functions, api })

    new CfnOutput(this, 'ApiUrl', {
      value: api.apiEndpoint,
      description: 'Base URL of the HTTP API, for aplus loadtest --target',
    })
    new CfnOutput(this, 'TableName', { value: table.tableName })
  }
}
