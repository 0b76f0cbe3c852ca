import {
  DYNALITE_OPERATIONS,
  type DynaliteStore,
  dynaliteDb,
  isDynaliteOperation,
  runAction,
  validateRequest,
} from './dynalite.js'
import { fromDynaliteError, unknownOperationError } from './errors.js'
import { transactGetItems } from './transact-get.js'
import { TransactWriter } from './transact-write.js'

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

/**
 * DynamoDB's data plane, in-process: dynalite's storage, validation and expression evaluation,
 * plus TransactWriteItems and TransactGetItems. It knows nothing of HTTP; the endpoint server
 * speaks the wire protocol and calls `execute`.
 */
export class DynamoDbEngine {
  private readonly transactions: TransactWriter

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
    return new DynamoDbEngine(store)
  }

  /**
   * Runs one operation on a parsed JSON request body. Resolves to the response body; rejects with
   * a DynamoDbServiceError shaped as DynamoDB answers.
   */
  async execute(operation: string, body: unknown): Promise<Record<string, unknown>> {
    try {
      if (operation === 'TransactWriteItems')
        return await this.transactions.transactWriteItems(body)
      if (operation === 'TransactGetItems') return await transactGetItems(this.store, body)
      if (!isDynaliteOperation(operation)) throw unknownOperationError()
      const request = validateRequest(operation, body, this.store)
      return await runAction(operation, this.store, request)
    } catch (error) {
      throw fromDynaliteError(error)
    }
  }

  /** Closes the store; on disk, everything acknowledged is flushed first. */
  close(): Promise<void> {
    return new Promise((resolve, reject) => {
      this.store.db.close((error) => (error ? reject(error) : resolve()))
    })
  }
}
