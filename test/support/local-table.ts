import { DynamoDBClient } from '@aws-sdk/client-dynamodb'
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb'
import type { GovernorConfigInput } from '../../src/local/dynamodb/governor/config.js'
import { type LocalDynamoDb, startLocalDynamoDb } from '../../src/local/dynamodb/index.js'
import { createProjectTable, LOCAL_CREDENTIALS, LOCAL_REGION } from '../../src/local/table-setup.js'
import { type CapacitySpec, DEFAULT_CAPACITY } from '../../src/store/capacity.js'

export interface LocalTable {
  dynamodb: LocalDynamoDb
  tableName: string
  /** A document client of the test's own, talking to the endpoint over HTTP. */
  db: DynamoDBDocumentClient
  close(): Promise<void>
}

/**
 * Starts the local DynamoDB on a free port and creates the project's table on it. Capacity is
 * enforced as configured (by default a full burst balance, which small tests never exhaust).
 */
export async function startLocalTable(
  capacity: CapacitySpec = DEFAULT_CAPACITY,
  governor: GovernorConfigInput = {},
): Promise<LocalTable> {
  const dynamodb = await startLocalDynamoDb({ governor })
  const tableName = 'aplus-test'
  await createProjectTable(dynamodb.url, tableName, capacity)
  const client = new DynamoDBClient({
    endpoint: dynamodb.url,
    region: LOCAL_REGION,
    credentials: LOCAL_CREDENTIALS,
  })
  const db = DynamoDBDocumentClient.from(client, {
    marshallOptions: { removeUndefinedValues: true },
  })
  return {
    dynamodb,
    tableName,
    db,
    async close() {
      db.destroy()
      await dynamodb.close()
    },
  }
}
