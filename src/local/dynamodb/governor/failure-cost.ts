import { type AttributeMap, type DynaliteStore, dynaliteDb, getItem } from '../dynalite.js'
import type { PreparedOperation } from '../engine.js'
import { DynamoDbServiceError } from '../errors.js'
import type { Reservation } from './admission.js'
import { writeUnits } from './index-writes.js'
import type { Meter, TableMeters } from './meters.js'

/**
 * What a request that failed after admission consumed: a failed conditional write costs the
 * item's write units (the new item's for a put, the existing one's otherwise; 1 if there was
 * none); a cancelled transaction its estimate (what AWS charges a cancelled transaction is not in
 * the sources read); anything else (a validation error found while running) nothing.
 */
export async function consumedByFailure(
  error: unknown,
  prepared: PreparedOperation,
  tables: ReadonlyMap<string, TableMeters>,
  reservation: Reservation,
  store: DynaliteStore,
): Promise<Map<Meter, number>> {
  const type = error instanceof DynamoDbServiceError ? error.type : ''
  if (type === 'TransactionCanceledException') return reservation
  if (type !== 'ConditionalCheckFailedException' || prepared.kind !== 'dynalite') return new Map()
  const { request, operation } = prepared
  const table = tables.get(String(request.TableName))
  if (!table) return new Map()
  const key = dynaliteDb.createKey((request.Key ?? request.Item) as AttributeMap, table.description)
  const existing = await getItem(store.getItemDb(table.name), key)
  const units = existing
    ? writeUnits(operation === 'PutItem' ? (request.Item as AttributeMap) : existing)
    : 1
  return new Map([[table.table.write, units]])
}
