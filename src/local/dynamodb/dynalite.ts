import { createRequire } from 'node:module'
import { Readable } from 'node:stream'

/**
 * Typed access to dynalite's building blocks. dynalite is the storage engine: it validates
 * requests, evaluates expressions and computes ConsumedCapacity the way DynamoDB does. Its HTTP
 * handler is not used; the local endpoint calls the same validations and actions in-process, so
 * a request costs no second socket hop and the capacity governor and transactions can sit between.
 *
 * These are dynalite internals (there is no public API below the HTTP server), which is why
 * package.json pins dynalite to an exact version; test/local/dynamodb covers every part used here.
 */

/** A dynalite error: `statusCode` and a DynamoDB-shaped JSON `body`. */
export interface DynaliteError extends Error {
  statusCode?: number
  body?: { __type: string; message?: string; Message?: string }
}

type Callback<T> = (error: DynaliteError | null, result?: T) => void

export type AttributeMap = Record<string, Record<string, unknown>>

/** A request after dynalite's validation: the wire fields plus parsed `_condition` and others. */
export type ValidatedRequest = Record<string, unknown>

export type KeySchema = { AttributeName: string; KeyType: 'HASH' | 'RANGE' }[]

export interface ProvisionedThroughputDescription {
  ReadCapacityUnits: number
  WriteCapacityUnits: number
  [field: string]: unknown
}

export interface IndexDescription {
  IndexName: string
  IndexArn?: string
  IndexStatus?: string
  KeySchema: KeySchema
  Projection: { ProjectionType?: 'ALL' | 'KEYS_ONLY' | 'INCLUDE'; NonKeyAttributes?: string[] }
  ProvisionedThroughput?: ProvisionedThroughputDescription
  [field: string]: unknown
}

export interface TableDescription {
  TableName: string
  TableArn?: string
  TableStatus: string
  KeySchema: KeySchema
  AttributeDefinitions: { AttributeName: string; AttributeType: string }[]
  ProvisionedThroughput?: ProvisionedThroughputDescription
  BillingModeSummary?: { BillingMode?: 'PROVISIONED' | 'PAY_PER_REQUEST' }
  GlobalSecondaryIndexes?: IndexDescription[]
  LocalSecondaryIndexes?: IndexDescription[]
  [field: string]: unknown
}

/** One keyspace of dynalite's LevelDB: items of one table, with per-key locks. */
export interface ItemDb {
  get(key: string, callback: Callback<AttributeMap>): void
  lock(
    keys: string | string[],
    work: (release: <F extends (...args: never[]) => unknown>(done: F) => F) => void,
  ): void
}

export interface DynaliteStore {
  options: { maxItemSize: number; path?: string }
  db: {
    /** Resolves once the store is open (at once in memory); rejects if it cannot open. */
    open(): Promise<void>
    close(callback: (error?: Error) => void): void
    /** Values are JSON; a missing key reads as undefined. */
    get(key: string): Promise<unknown>
    put(key: string, value: unknown): Promise<void>
    del(key: string): Promise<void>
  }
  getTable(name: string, checkStatus: boolean, callback: Callback<TableDescription>): void
  getItemDb(tableName: string): ItemDb
}

type UpdateIndexes = (
  store: DynaliteStore,
  table: TableDescription,
  existingItem: AttributeMap | null | undefined,
  item: AttributeMap | null | undefined,
  callback: (error?: Error | null) => void,
) => void

export interface DynaliteDb {
  create(options: DynaliteStoreOptions): DynaliteStore
  /** Every write of an item goes through here with the item before and after, to keep indexes. */
  updateIndexes: UpdateIndexes
  /** The size of an item in bytes as DynamoDB counts it: attribute names plus values. */
  itemSize(item: AttributeMap): number
  createKey(item: AttributeMap, table: TableDescription): string
  validateKey(key: AttributeMap, table: TableDescription): DynaliteError | null | undefined
  validateItem(item: AttributeMap, table: TableDescription): DynaliteError | null | undefined
  checkConditional(request: ValidatedRequest, item: AttributeMap | undefined): DynaliteError | null
  /** Capacity units of one item: reads per 4 KB (halved when eventually consistent), writes per 1 KB. */
  capacityUnits(item: AttributeMap | undefined, isRead: boolean, isConsistent?: boolean): number
  validationError(message: string): DynaliteError
}

export interface DynaliteStoreOptions {
  path?: string
  createTableMs?: number
  deleteTableMs?: number
  updateTableMs?: number
  maxItemSizeKb?: number
}

interface ActionValidation {
  types: Record<string, unknown>
  custom?: (data: ValidatedRequest, store: DynaliteStore) => string | undefined
}

interface Validations {
  checkTypes(data: unknown, types: Record<string, unknown>): ValidatedRequest
  checkValidations(
    data: ValidatedRequest,
    types: Record<string, unknown>,
    custom: ActionValidation['custom'],
    store: DynaliteStore,
  ): void
}

export type Action = (
  store: DynaliteStore,
  request: ValidatedRequest,
  callback: Callback<Record<string, unknown>>,
) => void

/** The operations dynalite implements, by their DynamoDB names. */
export const DYNALITE_OPERATIONS = [
  'BatchGetItem',
  'BatchWriteItem',
  'CreateTable',
  'DeleteItem',
  'DeleteTable',
  'DescribeTable',
  'DescribeTimeToLive',
  'GetItem',
  'ListTables',
  'PutItem',
  'Query',
  'Scan',
  'TagResource',
  'UntagResource',
  'ListTagsOfResource',
  'UpdateItem',
  'UpdateTable',
] as const

export type DynaliteOperation = (typeof DYNALITE_OPERATIONS)[number]

const require = createRequire(import.meta.url)

export const dynaliteDb = require('dynalite/db/index.js') as DynaliteDb
const validations = require('dynalite/validations/index.js') as Validations

/** Sees one applied write: the table, and the item before and after (undefined when absent). */
export type ItemWriteObserver = (
  table: TableDescription,
  before: AttributeMap | undefined,
  after: AttributeMap | undefined,
) => void

const WRITE_OBSERVER = Symbol('aplus.itemWriteObserver')

type ObservedStore = DynaliteStore & { [WRITE_OBSERVER]?: ItemWriteObserver }

/**
 * dynalite's actions call `db.updateIndexes(store, table, before, after, cb)` for every write they
 * apply, after its condition passed and before the item is stored, with the store they were
 * given. Wrapping that one function once lets a request that runs on a store view carrying an
 * observer see exactly the writes it applied (and their index entries), while every other caller
 * is unaffected. Index write costs, which dynalite does not report, are computed from this.
 */
const updateIndexes = dynaliteDb.updateIndexes
dynaliteDb.updateIndexes = (store, table, existingItem, item, callback) => {
  ;(store as ObservedStore)[WRITE_OBSERVER]?.(table, existingItem ?? undefined, item ?? undefined)
  updateIndexes(store, table, existingItem, item, callback)
}

/** A view of the store whose item writes are reported to `observer`. */
export function storeObservingWrites(
  store: DynaliteStore,
  observer: ItemWriteObserver,
): DynaliteStore {
  return Object.create(store, { [WRITE_OBSERVER]: { value: observer } })
}

const lowerFirst = (name: string) => name.charAt(0).toLowerCase() + name.slice(1)

const actions = new Map<DynaliteOperation, Action>()
const actionValidations = new Map<DynaliteOperation, ActionValidation>()
for (const operation of DYNALITE_OPERATIONS) {
  actions.set(operation, require(`dynalite/actions/${lowerFirst(operation)}.js`) as Action)
  actionValidations.set(
    operation,
    require(`dynalite/validations/${lowerFirst(operation)}.js`) as ActionValidation,
  )
}

export function isDynaliteOperation(name: string): name is DynaliteOperation {
  return actions.has(name as DynaliteOperation)
}

/**
 * Checks types and constraints of a request as dynalite's HTTP handler does, returning the
 * validated request (with parsed expressions) or throwing a DynaliteError.
 */
export function validateRequest(
  operation: DynaliteOperation,
  body: unknown,
  store: DynaliteStore,
): ValidatedRequest {
  const validation = actionValidations.get(operation)
  if (!validation) throw new Error(`dynalite has no validation for ${operation}`)
  try {
    const request = validations.checkTypes(body, validation.types)
    validations.checkValidations(request, validation.types, validation.custom, store)
    return request
  } catch (error) {
    if ((error as DynaliteError).statusCode) throw error
    // dynalite's validators assume members they reach are of the declared shape; a null (or a
    // scalar) where they expect a map or a list makes them throw a TypeError. DynamoDB refuses
    // such a request as invalid, and so does this endpoint, rather than answer 500.
    throw dynaliteDb.validationError(
      `1 validation error detected: a member of the ${operation} request is null or not of the type the operation expects`,
    )
  }
}

/** Runs one validated request through dynalite's implementation of the operation. */
export function runAction(
  operation: DynaliteOperation,
  store: DynaliteStore,
  request: ValidatedRequest,
): Promise<Record<string, unknown>> {
  const action = actions.get(operation)
  if (!action) throw new Error(`dynalite has no action for ${operation}`)
  return new Promise((resolve, reject) => {
    action(store, request, (error, result) => (error ? reject(error) : resolve(result ?? {})))
  })
}

/** Looks up a table's description, as dynalite stores it. */
export function getTable(store: DynaliteStore, name: string): Promise<TableDescription> {
  return new Promise((resolve, reject) => {
    store.getTable(name, false, (error, table) =>
      error || !table ? reject(error) : resolve(table),
    )
  })
}

/** Reads one item by its dynalite key string; resolves undefined when it does not exist. */
export function getItem(itemDb: ItemDb, key: string): Promise<AttributeMap | undefined> {
  return new Promise((resolve, reject) => {
    itemDb.get(key, (error, item) => {
      if (error && error.name !== 'NotFoundError') reject(error)
      else resolve(error ? undefined : item)
    })
  })
}

/** An abstract-level iterator, as `db.values()` and `db.keys()` return them. */
interface LevelIterator {
  next(): Promise<unknown>
  close(): Promise<void>
}

type IteratorFactory = (options?: unknown) => LevelIterator

/**
 * dynalite 4 turns the store's iterators into streams for Query, Scan and its own listings, and
 * closes them with `iterator.return()` when a stream is destroyed: a method abstract-level's
 * iterators do not have, so no iterator was ever closed, at its end or before it. Each open
 * iterator holds a snapshot of the store (the whole in-memory tree, or a LevelDB snapshot on
 * disk), so every Query leaked one: a soak at 15 queries a second grew the heap by about 2 MB a
 * minute. The store's two stream factories are replaced by ones that close their iterator when
 * the stream ends or is destroyed.
 */
export function closeIteratorsOfStreams(store: DynaliteStore): void {
  const db = store.db as unknown as Record<string, unknown> & {
    values: IteratorFactory
    keys: IteratorFactory
  }
  db.createValueStream = (options?: unknown) => iteratorStream(db.values(options))
  db.createKeyStream = (options?: unknown) => iteratorStream(db.keys(options))
}

function iteratorStream(iterator: LevelIterator): Readable {
  return new Readable({
    objectMode: true,
    read() {
      iterator.next().then(
        (value) => this.push(value === undefined ? null : value),
        (error: Error) => this.destroy(error),
      )
    },
    // Called once the stream has ended (autoDestroy) or when a consumer destroys it early.
    destroy(error, callback) {
      iterator.close().then(
        () => callback(error),
        () => callback(error),
      )
    },
  })
}
