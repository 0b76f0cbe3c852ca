import { CreateTableCommand, DynamoDBClient, waitUntilTableExists } from '@aws-sdk/client-dynamodb'
import type { CapacitySpec } from '../store/capacity.js'
import { createTableInput } from '../store/table.js'

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
