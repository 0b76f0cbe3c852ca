import { serializationError, validationError } from './errors.js'
import type { ItemRef } from './item-locks.js'

/** Transactions cost twice the units of the same plain reads and writes (prepare and commit). */
export const TRANSACTION_COST_FACTOR = 2

/** DynamoDB's limit on actions in one TransactWriteItems or TransactGetItems call. */
export const MAX_TRANSACTION_ITEMS = 100

const CAPACITY_REPORTS = ['INDEXES', 'TOTAL', 'NONE']

export interface TransactItem<A extends string> {
  action: A
  input: Record<string, unknown>
}

export interface ParsedTransaction<A extends string> {
  items: TransactItem<A>[]
  returnConsumedCapacity: string | undefined
  clientRequestToken: string | undefined
}

const isRecord = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value)

const constraint = (value: string, field: string, rule: string) =>
  validationError(
    `1 validation error detected: Value ${value} at '${field}' failed to satisfy constraint: ${rule}`,
  )

/** Checks the envelope of a transaction request: its item list and top-level options. */
export function parseTransactItems<A extends string>(
  body: unknown,
  allowedActions: readonly A[],
): ParsedTransaction<A> {
  if (!isRecord(body))
    throw serializationError('Start of structure or map found where not expected')
  const { TransactItems, ReturnConsumedCapacity, ClientRequestToken } = body
  if (TransactItems == null) {
    throw constraint('null', 'transactItems', 'Member must not be null')
  }
  if (!Array.isArray(TransactItems)) throw serializationError('Expected list for TransactItems')
  if (TransactItems.length < 1 || TransactItems.length > MAX_TRANSACTION_ITEMS) {
    const bound =
      TransactItems.length < 1
        ? 'greater than or equal to 1'
        : `less than or equal to ${MAX_TRANSACTION_ITEMS}`
    throw constraint(
      `'[${TransactItems.length} items]'`,
      'transactItems',
      `Member must have length ${bound}`,
    )
  }
  if (
    ReturnConsumedCapacity != null &&
    !CAPACITY_REPORTS.includes(String(ReturnConsumedCapacity))
  ) {
    throw constraint(
      `'${String(ReturnConsumedCapacity)}'`,
      'returnConsumedCapacity',
      `Member must satisfy enum value set: [${CAPACITY_REPORTS.join(', ')}]`,
    )
  }
  if (
    ClientRequestToken != null &&
    (typeof ClientRequestToken !== 'string' ||
      ClientRequestToken.length < 1 ||
      ClientRequestToken.length > 36)
  ) {
    throw constraint(
      `'${String(ClientRequestToken)}'`,
      'clientRequestToken',
      'Member must have length between 1 and 36',
    )
  }
  return {
    items: TransactItems.map((item) => parseItem(item, allowedActions)),
    returnConsumedCapacity:
      ReturnConsumedCapacity == null ? undefined : String(ReturnConsumedCapacity),
    clientRequestToken: ClientRequestToken == null ? undefined : String(ClientRequestToken),
  }
}

function parseItem<A extends string>(item: unknown, allowedActions: readonly A[]): TransactItem<A> {
  const present = isRecord(item) ? Object.keys(item).filter((key) => item[key] != null) : []
  const action = present[0] as A | undefined
  if (!isRecord(item) || present.length !== 1 || !action || !allowedActions.includes(action)) {
    throw validationError(`TransactItems can only contain one of ${allowedActions.join(', ')}`)
  }
  const input = item[action]
  if (!isRecord(input)) throw serializationError(`Expected structure for ${action}`)
  return { action, input }
}

/** Sums transaction units per table in the shape dynalite gives for plain operations. */
export function consumedCapacityByTable(
  charges: readonly { tableName: string; units: number }[],
  returnConsumedCapacity: string | undefined,
): Record<string, unknown>[] | undefined {
  if (returnConsumedCapacity !== 'INDEXES' && returnConsumedCapacity !== 'TOTAL') return undefined
  const unitsByTable = new Map<string, number>()
  for (const { tableName, units } of charges) {
    unitsByTable.set(tableName, (unitsByTable.get(tableName) ?? 0) + units)
  }
  return [...unitsByTable].map(([TableName, CapacityUnits]) => ({
    TableName,
    CapacityUnits,
    ...(returnConsumedCapacity === 'INDEXES' ? { Table: { CapacityUnits } } : {}),
  }))
}

/** DynamoDB refuses a transaction that names one item twice. */
export function rejectRepeatedItems(actions: readonly ItemRef[]): void {
  const seen = new Set<string>()
  for (const { tableName, key } of actions) {
    const id = `${tableName}\u0000${key}`
    if (seen.has(id)) {
      throw validationError('Transaction request cannot include multiple operations on one item')
    }
    seen.add(id)
  }
}
