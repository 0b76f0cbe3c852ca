import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb'

/** What every repository needs: the environment's client and the table it writes to. */
export interface StoreContext {
  readonly db: DynamoDBDocumentClient
  readonly tableName: string
}

/** The names DynamoDB gives a failed condition, for a plain write and inside a transaction. */
export const isConditionFailure = (error: unknown) =>
  error instanceof Error && error.name === 'ConditionalCheckFailedException'
