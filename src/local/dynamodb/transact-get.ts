import {
  type AttributeMap,
  type DynaliteStore,
  dynaliteDb,
  getTable,
  runAction,
  type TableDescription,
  type ValidatedRequest,
  validateRequest,
} from './dynalite.js'
import { fromDynaliteError } from './errors.js'
import { type ItemRef, withItemLocks } from './item-locks.js'
import {
  consumedCapacityByTable,
  parseTransactItems,
  rejectRepeatedItems,
  TRANSACTION_COST_FACTOR,
} from './transact-common.js'

export interface PreparedGet extends ItemRef {
  request: ValidatedRequest
  table: TableDescription
}

/** A validated TransactGetItems request, ready to run. */
export interface PreparedTransactGet {
  gets: readonly PreparedGet[]
  returnConsumedCapacity: string | undefined
}

/**
 * TransactGetItems, which dynalite lacks: the items are locked together, so the reads see no
 * write half done, and each item costs twice a strongly consistent read, as on DynamoDB.
 */
export async function transactGetItems(
  store: DynaliteStore,
  body: unknown,
): Promise<Record<string, unknown>> {
  return runTransactGet(await prepareTransactGet(store, body), store)
}

/** Validates the request and every key in it; nothing is read yet. */
export async function prepareTransactGet(
  store: DynaliteStore,
  body: unknown,
): Promise<PreparedTransactGet> {
  const { items, returnConsumedCapacity } = parseTransactItems(body, ['Get'] as const)
  const gets = await Promise.all(items.map(({ input }) => prepareGet(store, input)))
  rejectRepeatedItems(gets)
  return { gets, returnConsumedCapacity }
}

/** Locks the items and reads them together. */
export function runTransactGet(
  { gets, returnConsumedCapacity }: PreparedTransactGet,
  store: DynaliteStore,
): Promise<Record<string, unknown>> {
  return withItemLocks(store, gets, async (lockedStore) => {
    const results = await Promise.all(
      gets.map(({ request }) => runAction('GetItem', lockedStore, request)),
    )
    const charges = results.map((result, index) => ({
      tableName: gets[index]?.tableName ?? '',
      units:
        TRANSACTION_COST_FACTOR *
        Number((result.ConsumedCapacity as { CapacityUnits: number }).CapacityUnits),
    }))
    const consumed = consumedCapacityByTable(charges, returnConsumedCapacity)
    return {
      Responses: results.map((result) => (result.Item ? { Item: result.Item } : {})),
      ...(consumed ? { ConsumedCapacity: consumed } : {}),
    }
  })
}

async function prepareGet(
  store: DynaliteStore,
  input: Record<string, unknown>,
): Promise<PreparedGet> {
  try {
    const request = validateRequest(
      'GetItem',
      { ...input, ConsistentRead: true, ReturnConsumedCapacity: 'TOTAL' },
      store,
    )
    const table = await getTable(store, String(request.TableName))
    const invalid = dynaliteDb.validateKey(request.Key as AttributeMap, table)
    if (invalid) throw invalid
    const ref: ItemRef = {
      tableName: table.TableName,
      key: dynaliteDb.createKey(request.Key as AttributeMap, table),
    }
    return { ...ref, request, table }
  } catch (error) {
    throw fromDynaliteError(error)
  }
}
