import { GetCommand, PutCommand } from '@aws-sdk/lib-dynamodb'
import { isConditionFailure, type StoreContext } from './context.js'
import { IdempotencyMismatchError, ItemConflictError } from './errors.js'
import type { ItemKey } from './keys.js'
import { translateStoreError } from './translate.js'

/**
 * What makes a create idempotent: the client's key and a hash of what it asked for. Both are
 * stored on the item itself, so the happy path costs no extra write, and a repeat is recognised
 * by the same condition that stops a second create.
 */
export interface IdempotencyStamp {
  key: string
  requestHash: string
}

export interface Created<T> {
  item: T
  /** True when an earlier request with the same key created the item and this one changed nothing. */
  replayed: boolean
}

export function stampAttributes(stamp: IdempotencyStamp | undefined): Record<string, string> {
  return stamp ? { idempotencyKey: stamp.key, requestHash: stamp.requestHash } : {}
}

/**
 * Decides what an existing item means for a request that found it there: a replay of the same
 * request (same key, same hash), a misuse of the key (same key, other request), or a plain
 * conflict (no key, or another one).
 */
export function judgeExisting(
  existing: Record<string, unknown> | undefined,
  stamp: IdempotencyStamp | undefined,
): 'replay' | 'conflict' {
  if (!stamp || !existing || existing.idempotencyKey !== stamp.key) return 'conflict'
  if (existing.requestHash !== stamp.requestHash) throw new IdempotencyMismatchError(stamp.key)
  return 'replay'
}

/**
 * Puts an item that must not exist yet. With a stamp, the same request repeated (a client's
 * retry after a lost response) gets the stored item back instead of a conflict.
 */
export async function putNew<T>(
  context: StoreContext,
  key: ItemKey,
  item: Record<string, unknown>,
  options: {
    stamp: IdempotencyStamp | undefined
    describe: string
    toRecord: (stored: Record<string, unknown>) => T
  },
): Promise<Created<T>> {
  const { db, tableName } = context
  try {
    const stored = { ...key, ...item, ...stampAttributes(options.stamp) }
    await db.send(
      new PutCommand({
        TableName: tableName,
        Item: stored,
        ConditionExpression: 'attribute_not_exists(pk)',
      }),
    )
    return { item: options.toRecord(stored), replayed: false }
  } catch (error) {
    if (!isConditionFailure(error)) return translateStoreError(error)
  }
  // The condition decided; this read only fetches what the first request stored.
  const existing = await readConsistently(context, key)
  if (judgeExisting(existing, options.stamp) === 'replay' && existing) {
    return { item: options.toRecord(existing), replayed: true }
  }
  throw new ItemConflictError('already_exists', `${options.describe} already exists`)
}

async function readConsistently(context: StoreContext, key: ItemKey) {
  try {
    const { Item } = await context.db.send(
      new GetCommand({ TableName: context.tableName, Key: key, ConsistentRead: true }),
    )
    return Item
  } catch (error) {
    return translateStoreError(error)
  }
}
