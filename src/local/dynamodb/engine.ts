import {
  closeIteratorsOfStreams,
  DYNALITE_OPERATIONS,
  type DynaliteOperation,
  type DynaliteStore,
  dynaliteDb,
  type ItemWriteObserver,
  isDynaliteOperation,
  runAction,
  storeObservingWrites,
  type ValidatedRequest,
  validateRequest,
} from './dynalite.js'
import { fromDynaliteError, serviceUnavailableError, unknownOperationError } from './errors.js'
import { type PreparedTransactGet, prepareTransactGet, runTransactGet } from './transact-get.js'
import { type PreparedTransactWrite, TransactWriter } from './transact-write.js'

/** Every DynamoDB operation the local engine answers: dynalite's, plus the two transactions. */
export const SUPPORTED_OPERATIONS: readonly string[] = [
  ...DYNALITE_OPERATIONS,
  'TransactWriteItems',
  'TransactGetItems',
]

export interface DynamoDbEngineOptions {
  /** A LevelDB directory to keep data on disk; in memory when absent. */
  path?: string
  /**
   * How long a table stays CREATING, UPDATING or DELETING. DynamoDB takes seconds; the default of
   * 0 lets tests and experiments start at once. Clients that wait for ACTIVE work either way.
   */
  tableStatusDelayMs?: number
}

/** A request that passed validation: what `run` needs, and what a governor can inspect first. */
export type PreparedOperation =
  | { kind: 'dynalite'; operation: DynaliteOperation; request: ValidatedRequest }
  | { kind: 'transact-write'; operation: 'TransactWriteItems'; transaction: PreparedTransactWrite }
  | { kind: 'transact-get'; operation: 'TransactGetItems'; transaction: PreparedTransactGet }

export interface RunOptions {
  /** Told of every item write the operation applies, with the item before and after. */
  observeWrites?: ItemWriteObserver
}

/**
 * DynamoDB's data plane, in-process: dynalite's storage, validation and expression evaluation,
 * plus TransactWriteItems and TransactGetItems. It knows nothing of HTTP; the endpoint server
 * speaks the wire protocol and calls `execute`, or `prepare` then `run` when something (the
 * capacity governor) decides between validation and work.
 */
export class DynamoDbEngine {
  private readonly transactions: TransactWriter
  /** Operations between their start and their answer; the store closes once none is left. */
  private running = 0
  private whenIdle: (() => void) | undefined
  /** No new request is taken; one already prepared may still run. */
  private closing = false
  /** The store is closing or closed: nothing runs any more. */
  private closed = false

  private constructor(readonly store: DynaliteStore) {
    this.transactions = new TransactWriter(store)
  }

  static open(options: DynamoDbEngineOptions = {}): DynamoDbEngine {
    const delayMs = options.tableStatusDelayMs ?? 0
    const store = dynaliteDb.create({
      ...(options.path === undefined ? {} : { path: options.path }),
      createTableMs: delayMs,
      deleteTableMs: delayMs,
      updateTableMs: delayMs,
    })
    closeIteratorsOfStreams(store)
    return new DynamoDbEngine(store)
  }

  /**
   * Runs one operation on a parsed JSON request body. Resolves to the response body; rejects with
   * a DynamoDbServiceError shaped as DynamoDB answers.
   */
  execute(operation: string, body: unknown): Promise<Record<string, unknown>> {
    return this.tracked(this.closing, async () =>
      this.runNow(await this.prepareNow(operation, body), {}),
    )
  }

  /**
   * Checks a request as DynamoDB does before it touches any item: its shape, types, expressions
   * and limits. Checks that need the table's key schema happen in `run`.
   */
  prepare(operation: string, body: unknown): Promise<PreparedOperation> {
    return this.tracked(this.closing, () => this.prepareNow(operation, body))
  }

  private async prepareNow(operation: string, body: unknown): Promise<PreparedOperation> {
    try {
      if (operation === 'TransactWriteItems') {
        return {
          kind: 'transact-write',
          operation,
          transaction: await this.transactions.prepare(body),
        }
      }
      if (operation === 'TransactGetItems') {
        const transaction = await prepareTransactGet(this.store, body)
        return { kind: 'transact-get', operation, transaction }
      }
      if (!isDynaliteOperation(operation)) throw unknownOperationError()
      return { kind: 'dynalite', operation, request: validateRequest(operation, body, this.store) }
    } catch (error) {
      throw fromDynaliteError(error)
    }
  }

  /** Does the work of a prepared request. */
  run(prepared: PreparedOperation, options: RunOptions = {}): Promise<Record<string, unknown>> {
    return this.tracked(this.closed, () => this.runNow(prepared, options))
  }

  private async runNow(
    prepared: PreparedOperation,
    options: RunOptions,
  ): Promise<Record<string, unknown>> {
    const store = options.observeWrites
      ? storeObservingWrites(this.store, options.observeWrites)
      : this.store
    try {
      if (prepared.kind === 'transact-write') {
        return await this.transactions.commit(prepared.transaction, store)
      }
      if (prepared.kind === 'transact-get') return await runTransactGet(prepared.transaction, store)
      return await runAction(prepared.operation, store, prepared.request)
    } catch (error) {
      throw fromDynaliteError(error)
    }
  }

  /** Resolves once the store is open; rejects when it cannot open (a locked directory, say). */
  opened(): Promise<void> {
    return this.store.db.open()
  }

  /**
   * Closes the store once the operations under way have answered (dynalite's work continues on
   * later turns, and would otherwise meet a closed database); on disk, everything acknowledged is
   * flushed first. Operations that arrive meanwhile are refused as ServiceUnavailable.
   */
  async close(): Promise<void> {
    this.closing = true
    if (this.running > 0) {
      await new Promise<void>((resolve) => {
        this.whenIdle = resolve
      })
    }
    this.closed = true
    await new Promise<void>((resolve, reject) => {
      this.store.db.close((error) => (error ? reject(error) : resolve()))
    })
  }

  private async tracked<T>(refused: boolean, work: () => Promise<T>): Promise<T> {
    if (refused) throw serviceUnavailableError()
    this.running += 1
    try {
      return await work()
    } finally {
      this.running -= 1
      if (this.running === 0) this.whenIdle?.()
    }
  }
}
