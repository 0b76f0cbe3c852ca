import type { CapacitySpec } from '../store/capacity.js'
import { TABLE } from '../store/table.js'
import type { GovernorConfigInput } from './dynamodb/governor/config.js'
import { type LocalDynamoDb, startLocalDynamoDb } from './dynamodb/index.js'
import { applyProjectTableCapacity, governorConfigFor } from './table-setup.js'

export interface StandaloneDynamoDbOptions {
  port: number
  /** Capacity for the project's own table; absent: no table is created or changed. */
  capacity?: CapacitySpec | undefined
  dataPath?: string | undefined
  governor?: GovernorConfigInput | undefined
  onInternalError?: (error: unknown) => void
}

export interface StandaloneDynamoDb {
  dynamodb: LocalDynamoDb
  tableName: string
  /** What happened to the project's table, if a capacity was given. */
  table: 'created' | 'updated' | 'unchanged' | undefined
}

/**
 * The local DynamoDB on its own, for any client: the endpoint, and the project's table with the
 * given capacity (other tables get whatever their CreateTable declares).
 */
export async function startStandaloneDynamoDb(
  options: StandaloneDynamoDbOptions,
): Promise<StandaloneDynamoDb> {
  const tableName = TABLE.defaultName
  const governor = options.capacity
    ? governorConfigFor(tableName, options.capacity, options.governor)
    : (options.governor ?? {})
  const dynamodb = await startLocalDynamoDb({
    port: options.port,
    governor,
    ...(options.dataPath === undefined ? {} : { path: options.dataPath }),
    ...(options.onInternalError ? { onInternalError: options.onInternalError } : {}),
  })
  try {
    const table = options.capacity
      ? await applyProjectTableCapacity(dynamodb.url, tableName, options.capacity)
      : undefined
    return { dynamodb, tableName, table }
  } catch (error) {
    await dynamodb.close()
    throw error
  }
}
