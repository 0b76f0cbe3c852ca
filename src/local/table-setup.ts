import {
  CreateTableCommand,
  DescribeTableCommand,
  DynamoDBClient,
  ResourceNotFoundException,
  type TableDescription,
  UpdateTableCommand,
  type UpdateTableCommandInput,
  waitUntilTableExists,
} from '@aws-sdk/client-dynamodb'
import type { CapacitySpec } from '../store/capacity.js'
import { createTableInput, TABLE } from '../store/table.js'
import type { AutoScalingPolicy, GovernorConfigInput } from './dynamodb/governor/config.js'

/** Credentials the local endpoint accepts: it checks that requests are signed, not by whom. */
export const LOCAL_CREDENTIALS = { accessKeyId: 'local', secretAccessKey: 'local' }
export const LOCAL_REGION = 'us-east-1'

/** A control-plane client for the local endpoint (the cloud's own, not a function's). */
export function localAdminClient(endpointUrl: string): DynamoDBClient {
  return new DynamoDBClient({
    endpoint: endpointUrl,
    region: LOCAL_REGION,
    credentials: LOCAL_CREDENTIALS,
  })
}

/** Creates the project's table on an endpoint, as the CDK app would on AWS, and waits for it. */
export async function createProjectTable(
  endpointUrl: string,
  tableName: string,
  capacity: CapacitySpec,
): Promise<void> {
  const client = localAdminClient(endpointUrl)
  try {
    await client.send(new CreateTableCommand(createTableInput(tableName, capacity)))
    await waitUntilTableExists({ client, maxWaitTime: 30, minDelay: 0.1 }, { TableName: tableName })
  } finally {
    client.destroy()
  }
}

/**
 * Gives the project's table the capacity of `capacity`: creates it if it does not exist (a fresh
 * endpoint), otherwise changes what differs with UpdateTable (an endpoint keeping data on disk).
 */
export async function applyProjectTableCapacity(
  endpointUrl: string,
  tableName: string,
  capacity: CapacitySpec,
): Promise<'created' | 'updated' | 'unchanged'> {
  const client = localAdminClient(endpointUrl)
  try {
    let table: TableDescription | undefined
    try {
      table = (await client.send(new DescribeTableCommand({ TableName: tableName }))).Table
    } catch (error) {
      if (!(error instanceof ResourceNotFoundException)) throw error
    }
    if (!table) {
      await createProjectTable(endpointUrl, tableName, capacity)
      return 'created'
    }
    const updates = capacityUpdates(table, capacity)
    for (const update of updates) await client.send(new UpdateTableCommand(update))
    await waitUntilTableExists({ client, maxWaitTime: 30, minDelay: 0.1 }, { TableName: tableName })
    return updates.length > 0 ? 'updated' : 'unchanged'
  } finally {
    client.destroy()
  }
}

/** The UpdateTable calls that take an existing table to `capacity` (none if it is there). */
function capacityUpdates(
  table: TableDescription,
  capacity: CapacitySpec,
): UpdateTableCommandInput[] {
  const TableName = table.TableName ?? ''
  const indexName = TABLE.index.name
  const onDemandNow = table.BillingModeSummary?.BillingMode === 'PAY_PER_REQUEST'
  if (capacity.mode === 'on-demand') {
    const max = capacity.max
      ? {
          MaxReadRequestUnits: capacity.max.readUnits,
          MaxWriteRequestUnits: capacity.max.writeUnits,
        }
      : { MaxReadRequestUnits: -1, MaxWriteRequestUnits: -1 }
    return [
      {
        TableName,
        ...(onDemandNow ? {} : { BillingMode: 'PAY_PER_REQUEST' }),
        OnDemandThroughput: max,
        GlobalSecondaryIndexUpdates: [
          { Update: { IndexName: indexName, OnDemandThroughput: max } },
        ],
      },
    ]
  }
  const wanted = (units: CapacitySpec & { mode: 'provisioned' }, part: 'table' | 'index') => ({
    ReadCapacityUnits: units[part].readUnits,
    WriteCapacityUnits: units[part].writeUnits,
  })
  const index = table.GlobalSecondaryIndexes?.find((candidate) => candidate.IndexName === indexName)
  if (onDemandNow) {
    return [
      {
        TableName,
        BillingMode: 'PROVISIONED',
        ProvisionedThroughput: wanted(capacity, 'table'),
        GlobalSecondaryIndexUpdates: [
          { Update: { IndexName: indexName, ProvisionedThroughput: wanted(capacity, 'index') } },
        ],
      },
    ]
  }
  const differs = (current: TableDescription['ProvisionedThroughput'], part: 'table' | 'index') =>
    current?.ReadCapacityUnits !== capacity[part].readUnits ||
    current?.WriteCapacityUnits !== capacity[part].writeUnits
  const updates: UpdateTableCommandInput[] = []
  if (differs(table.ProvisionedThroughput, 'table')) {
    updates.push({ TableName, ProvisionedThroughput: wanted(capacity, 'table') })
  }
  if (index && differs(index.ProvisionedThroughput, 'index')) {
    updates.push({
      TableName,
      GlobalSecondaryIndexUpdates: [
        { Update: { IndexName: indexName, ProvisionedThroughput: wanted(capacity, 'index') } },
      ],
    })
  }
  return updates
}

/** The governor's auto scaling policy for a table with this capacity, if it asks for one. */
export function autoScalingPolicyOf(capacity: CapacitySpec): AutoScalingPolicy | undefined {
  if (capacity.mode !== 'provisioned' || !capacity.autoScaling) return undefined
  const { max, targetUtilizationPercent } = capacity.autoScaling
  return { targetUtilizationPercent, maxReadUnits: max.readUnits, maxWriteUnits: max.writeUnits }
}

/** Governor settings with the project table's auto scaling (from its capacity) added. */
export function governorConfigFor(
  tableName: string,
  capacity: CapacitySpec,
  base: GovernorConfigInput = {},
): GovernorConfigInput {
  const policy = autoScalingPolicyOf(capacity)
  if (!policy) return base
  return {
    ...base,
    autoScaling: {
      ...base.autoScaling,
      tables: { ...base.autoScaling?.tables, [tableName]: policy },
    },
  }
}
