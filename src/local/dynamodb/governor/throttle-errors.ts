import { type DynamoDbServiceError, dynamoDbError, transactionCanceledError } from '../errors.js'
import type { CapacityMode, LimitType } from './limiters.js'
import type { ResourceRef } from './meters.js'
import type { AccessKind } from './partitions.js'

/** Why one resource refused a request. */
export interface Refusal {
  resource: ResourceRef
  kind: AccessKind
  mode: CapacityMode
  limitType: LimitType
}

/**
 * The messages DynamoDB sends with throttling errors, as AWS documents them (the TransactWriteItems
 * cancellation reasons in the API reference, and the errors users report).
 */
export const THROTTLE_MESSAGES = {
  provisionedTable:
    'The level of configured provisioned throughput for the table was exceeded. Consider increasing your provisioning level with the UpdateTable API.',
  provisionedIndex:
    'The level of configured provisioned throughput for one or more global secondary indexes of the table was exceeded. Consider increasing your provisioning level for the under-provisioned global secondary indexes with the UpdateTable API',
  onDemandTable:
    'Throughput exceeds the current capacity of your table or index. DynamoDB is automatically scaling your table or index so please try again shortly. If exceptions persist, check if you have a hot key: https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/bp-partition-key-design.html',
  onDemandIndex:
    'Throughput exceeds the current capacity for one or more global secondary indexes. DynamoDB is automatically scaling your index so please try again shortly.',
} as const

/** A ThrottlingReason: `<Table|Index><Read|Write><LimitType>` and the resource's ARN. */
export function throttlingReason(refusal: Refusal): { reason: string; resource: string } {
  const resourceType = refusal.resource.indexName === undefined ? 'Table' : 'Index'
  const operationType = refusal.kind === 'read' ? 'Read' : 'Write'
  return {
    reason: `${resourceType}${operationType}${refusal.limitType}`,
    resource: refusal.resource.arn,
  }
}

/**
 * The error a throttled request gets: ProvisionedThroughputExceededException on a provisioned
 * table or index, ThrottlingException on an on-demand one, each with its ThrottlingReasons. The
 * member is spelt `ThrottlingReasons` on the first and `throttlingReasons` on the second, as in
 * DynamoDB's service model.
 */
export function throttlingError(refusals: readonly Refusal[]): DynamoDbServiceError {
  const first = refusals[0]
  if (!first) throw new Error('a throttling error needs at least one refusal')
  const reasons = uniqueReasons(refusals)
  const onTable = refusals.some((refusal) => refusal.resource.indexName === undefined)
  if (first.mode === 'provisioned') {
    return dynamoDbError(
      'ProvisionedThroughputExceededException',
      onTable ? THROTTLE_MESSAGES.provisionedTable : THROTTLE_MESSAGES.provisionedIndex,
      { ThrottlingReasons: reasons },
    )
  }
  return dynamoDbError(
    'ThrottlingException',
    onTable ? THROTTLE_MESSAGES.onDemandTable : THROTTLE_MESSAGES.onDemandIndex,
    { throttlingReasons: reasons },
  )
}

/**
 * A transaction that lacks capacity is cancelled, not throttled: DynamoDB answers
 * TransactionCanceledException with a reason per action, `ProvisionedThroughputExceeded` (or
 * `ThrottlingError` on on-demand tables) for the actions that lacked capacity and `None` for the
 * rest (API reference: TransactWriteItems, cancellation reason codes). The SDKs do not retry it.
 */
export function transactionThrottledError(
  refusalsPerAction: readonly (readonly Refusal[])[],
): DynamoDbServiceError {
  const reasons = refusalsPerAction.map((refusals) => {
    const first = refusals[0]
    if (!first) return { Code: 'None' }
    const onTable = refusals.some((refusal) => refusal.resource.indexName === undefined)
    if (first.mode === 'provisioned') {
      return {
        Code: 'ProvisionedThroughputExceeded',
        Message: onTable ? THROTTLE_MESSAGES.provisionedTable : THROTTLE_MESSAGES.provisionedIndex,
      }
    }
    return {
      Code: 'ThrottlingError',
      Message: onTable ? THROTTLE_MESSAGES.onDemandTable : THROTTLE_MESSAGES.onDemandIndex,
    }
  })
  return transactionCanceledError(reasons)
}

function uniqueReasons(refusals: readonly Refusal[]) {
  const byKey = new Map<string, { reason: string; resource: string }>()
  for (const refusal of refusals) {
    const reason = throttlingReason(refusal)
    byKey.set(`${reason.reason} ${reason.resource}`, reason)
  }
  return [...byKey.values()]
}
