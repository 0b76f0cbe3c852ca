import {
  type AttributeMap,
  type DynaliteOperation,
  type DynaliteStore,
  dynaliteDb,
  getItem,
  getTable,
  runAction,
  type TableDescription,
  type ValidatedRequest,
  validateRequest,
} from './dynalite.js'
import { fromDynaliteError, transactionCanceledError, validationError } from './errors.js'
import { type ItemRef, withItemLocks } from './item-locks.js'
import {
  consumedCapacityByTable,
  parseTransactItems,
  rejectRepeatedItems,
  TRANSACTION_COST_FACTOR,
} from './transact-common.js'
import { IdempotencyTokens } from './transact-tokens.js'

const WRITE_ACTIONS = ['Put', 'Update', 'Delete', 'ConditionCheck'] as const
type WriteAction = (typeof WRITE_ACTIONS)[number]

/** The plain operation whose validation and implementation each transaction action shares. */
const OPERATION_OF: Record<WriteAction, DynaliteOperation> = {
  Put: 'PutItem',
  Update: 'UpdateItem',
  Delete: 'DeleteItem',
  // A condition check has the shape of a conditional delete, and is never applied.
  ConditionCheck: 'DeleteItem',
}

export interface PreparedAction extends ItemRef {
  action: WriteAction
  request: ValidatedRequest
  table: TableDescription
  returnItemOnFailure: boolean
}

/** A validated TransactWriteItems request, ready to commit (or already answered once). */
export interface PreparedTransactWrite {
  actions: readonly PreparedAction[]
  returnConsumedCapacity: string | undefined
  clientRequestToken: string | undefined
  original: unknown
  /** The first answer to a ClientRequestToken seen again with the same request. */
  remembered: Record<string, unknown> | undefined
}

interface CancellationReason {
  Code: string
  Message?: string
  Item?: AttributeMap
}

/**
 * TransactWriteItems, which dynalite lacks, built from dynalite's own parts: every item is locked,
 * every condition is checked against the current items, and only if all pass are the writes
 * applied (through dynalite's PutItem/UpdateItem/DeleteItem); a write that fails while applying
 * rolls back the ones before it. Each item costs twice its write units, as on DynamoDB.
 *
 * Known differences from DynamoDB: a GetItem or Query may observe a transaction half applied (they
 * take no locks in dynalite), validation messages name the action's fields rather than
 * `transactItems.N.member…`, and the 4 MB aggregate size limit is not checked.
 */
export class TransactWriter {
  private readonly tokens = new IdempotencyTokens()

  constructor(private readonly store: DynaliteStore) {}

  async transactWriteItems(body: unknown): Promise<Record<string, unknown>> {
    return this.commit(await this.prepare(body))
  }

  /** Validates the request and every action in it; nothing is locked or written yet. */
  async prepare(body: unknown): Promise<PreparedTransactWrite> {
    const { items, returnConsumedCapacity, clientRequestToken } = parseTransactItems(
      body,
      WRITE_ACTIONS,
    )
    const original = structuredClone(body)
    const remembered = this.tokens.lookup(clientRequestToken, original)
    if (remembered) {
      return { actions: [], returnConsumedCapacity, clientRequestToken, original, remembered }
    }

    const actions = await Promise.all(
      items.map(({ action, input }) => this.prepareAction(action, input, returnConsumedCapacity)),
    )
    rejectRepeatedItems(actions)
    return { actions, returnConsumedCapacity, clientRequestToken, original, remembered }
  }

  /**
   * Locks every item, checks every condition and applies the writes; `store` may be a view of
   * the writer's store (one that observes writes, say).
   */
  async commit(
    prepared: PreparedTransactWrite,
    store: DynaliteStore = this.store,
  ): Promise<Record<string, unknown>> {
    const { actions, returnConsumedCapacity, clientRequestToken, original, remembered } = prepared
    if (remembered) return remembered
    const response = await withItemLocks(store, actions, (lockedStore) =>
      this.checkThenApply(actions, lockedStore, returnConsumedCapacity),
    )
    this.tokens.remember(clientRequestToken, original, response)
    return response
  }

  private async prepareAction(
    action: WriteAction,
    input: Record<string, unknown>,
    returnConsumedCapacity: string | undefined,
  ): Promise<PreparedAction> {
    const { ReturnValuesOnConditionCheckFailure, ...fields } = input
    if (action === 'ConditionCheck' && typeof fields.ConditionExpression !== 'string') {
      throw validationError('A ConditionCheck action requires a ConditionExpression')
    }
    try {
      const request = validateRequest(
        OPERATION_OF[action],
        { ...fields, ReturnConsumedCapacity: returnConsumedCapacity },
        this.store,
      )
      const table = await getTable(this.store, String(request.TableName))
      const item = (action === 'Put' ? request.Item : request.Key) as AttributeMap
      const invalid =
        action === 'Put'
          ? dynaliteDb.validateItem(item, table)
          : dynaliteDb.validateKey(item, table)
      if (invalid) throw invalid
      return {
        action,
        request,
        table,
        tableName: table.TableName,
        key: dynaliteDb.createKey(item, table),
        returnItemOnFailure: ReturnValuesOnConditionCheckFailure === 'ALL_OLD',
      }
    } catch (error) {
      throw fromDynaliteError(error)
    }
  }

  private async checkThenApply(
    actions: readonly PreparedAction[],
    lockedStore: DynaliteStore,
    returnConsumedCapacity: string | undefined,
  ): Promise<Record<string, unknown>> {
    const currentItems = await Promise.all(
      actions.map(({ tableName, key }) => getItem(lockedStore.getItemDb(tableName), key)),
    )
    const reasons = actions.map((action, index) => checkCondition(action, currentItems[index]))
    if (reasons.some((reason) => reason.Code !== 'None')) throw transactionCanceledError(reasons)

    const unitsByAction = await this.apply(actions, currentItems, lockedStore)
    const consumed = consumedCapacityByTable(
      actions.map(({ tableName }, index) => ({ tableName, units: unitsByAction[index] ?? 0 })),
      returnConsumedCapacity,
    )
    return consumed ? { ConsumedCapacity: consumed } : {}
  }

  /** Applies the writes in order; returns each action's capacity units (transaction-priced). */
  private async apply(
    actions: readonly PreparedAction[],
    currentItems: readonly (AttributeMap | undefined)[],
    lockedStore: DynaliteStore,
  ): Promise<number[]> {
    const units: number[] = []
    for (const [index, action] of actions.entries()) {
      const current = currentItems[index]
      if (action.action === 'ConditionCheck') {
        units.push(TRANSACTION_COST_FACTOR * dynaliteDb.capacityUnits(current, false))
        continue
      }
      try {
        const result = await runAction(OPERATION_OF[action.action], lockedStore, {
          ...action.request,
          ReturnConsumedCapacity: 'TOTAL',
        })
        const written = result.ConsumedCapacity as { CapacityUnits: number }
        units.push(TRANSACTION_COST_FACTOR * written.CapacityUnits)
      } catch (error) {
        await this.rollBack(actions.slice(0, index), currentItems, lockedStore)
        const failure = fromDynaliteError(error)
        throw transactionCanceledError(
          actions.map((_, other) =>
            other === index
              ? { Code: 'ValidationError', Message: failure.message }
              : { Code: 'None' },
          ),
        )
      }
    }
    return units
  }

  /** Puts back the items as they were before the applied actions. */
  private async rollBack(
    applied: readonly PreparedAction[],
    previousItems: readonly (AttributeMap | undefined)[],
    lockedStore: DynaliteStore,
  ): Promise<void> {
    for (const [index, action] of [...applied.entries()].reverse()) {
      if (action.action === 'ConditionCheck') continue
      const previous = previousItems[index]
      const key = keyOf(action)
      if (previous) {
        const request = validateRequest(
          'PutItem',
          { TableName: action.tableName, Item: previous },
          this.store,
        )
        await runAction('PutItem', lockedStore, request)
      } else {
        const request = validateRequest(
          'DeleteItem',
          { TableName: action.tableName, Key: key },
          this.store,
        )
        await runAction('DeleteItem', lockedStore, request)
      }
    }
  }
}

function checkCondition(
  action: PreparedAction,
  current: AttributeMap | undefined,
): CancellationReason {
  if (!dynaliteDb.checkConditional(action.request, current)) return { Code: 'None' }
  return {
    Code: 'ConditionalCheckFailed',
    Message: 'The conditional request failed',
    ...(action.returnItemOnFailure && current ? { Item: current } : {}),
  }
}

/** The key attributes of the action's item, from its Key or (for Put) its Item. */
function keyOf(action: PreparedAction): AttributeMap {
  const source = (action.request.Key ?? action.request.Item) as AttributeMap
  const key: AttributeMap = {}
  for (const { AttributeName } of action.table.KeySchema) {
    const value = source[AttributeName]
    if (value) key[AttributeName] = value
  }
  return key
}
