import { type AttributeMap, dynaliteDb, type ValidatedRequest } from '../dynalite.js'
import type { PreparedOperation } from '../engine.js'
import { TRANSACTION_COST_FACTOR } from '../transact-common.js'
import { entryOf, writeUnits } from './index-writes.js'
import type { Meter, TableMeters } from './meters.js'
import type { AccessKind } from './partitions.js'

/** A read costs at least this per 4 KB when strongly consistent, half when eventually. */
const READ_UNITS = { strong: 1, eventual: 0.5 }

/** Units one meter must have room for before a request runs, and the partition key it hits. */
export interface MeterDemand {
  meter: Meter
  units: number
  /** The table the meter belongs to, whose per-partition ceilings apply. */
  table: TableMeters
  partition: string | undefined
}

/** One thing admitted or refused as a whole: a request, one item of a batch, one action. */
export interface AdmissionUnit {
  tableName: string
  /** For a batch: the item's place in its table's list of RequestItems. */
  position?: number
  demands: MeterDemand[]
}

/**
 * What a data-plane request needs before it runs. Units are estimates, settled against what the
 * request really consumed afterwards: a read is assumed to cost the minimum (one 4 KB unit), a
 * PutItem its new item's size (the replaced item may be larger), an UpdateItem or DeleteItem one
 * unit; each global index of a written table must have write capacity (AWS: a write succeeds only
 * if the table and all its global secondary indexes have enough), and a PutItem is expected to
 * cost each index its new entry's size.
 */
export type AdmissionPlan =
  | { shape: 'single'; kind: AccessKind; unit: AdmissionUnit }
  | { shape: 'batch'; kind: AccessKind; units: AdmissionUnit[] }
  | { shape: 'transaction'; kind: AccessKind; units: AdmissionUnit[] }

export const DATA_PLANE_OPERATIONS = new Set([
  'GetItem',
  'PutItem',
  'UpdateItem',
  'DeleteItem',
  'Query',
  'Scan',
  'BatchGetItem',
  'BatchWriteItem',
  'TransactWriteItems',
  'TransactGetItems',
])

const READ_OPERATIONS = new Set(['GetItem', 'Query', 'Scan', 'BatchGetItem', 'TransactGetItems'])

/** The tables a data-plane request touches. */
export function tablesOf(prepared: PreparedOperation): string[] {
  if (prepared.kind === 'transact-write') {
    return [...new Set(prepared.transaction.actions.map((action) => action.tableName))]
  }
  if (prepared.kind === 'transact-get') {
    return [...new Set(prepared.transaction.gets.map((get) => get.tableName))]
  }
  const { request } = prepared
  if (prepared.operation === 'BatchGetItem' || prepared.operation === 'BatchWriteItem') {
    return Object.keys((request.RequestItems as Record<string, unknown>) ?? {})
  }
  return typeof request.TableName === 'string' ? [request.TableName] : []
}

/**
 * The admission plan. A request that will fail validation against its table (a key that does not
 * match the schema, an unknown index) demands nothing: it is never throttled, so it gets the
 * error DynamoDB would give it.
 */
export function planAdmission(
  prepared: PreparedOperation,
  tables: ReadonlyMap<string, TableMeters>,
): AdmissionPlan {
  if (prepared.kind === 'transact-write') {
    const units = prepared.transaction.actions.map(({ action, request, tableName }) => {
      const table = tables.get(tableName)
      if (!table) return { tableName, demands: [] }
      const demands =
        action === 'Put'
          ? putDemands(table, request.Item as AttributeMap)
          : action === 'ConditionCheck'
            ? [tableWrite(table, 1, request.Key as AttributeMap)]
            : keyedWriteDemands(table, request.Key as AttributeMap)
      for (const demand of demands) demand.units *= TRANSACTION_COST_FACTOR
      return { tableName, demands }
    })
    return { shape: 'transaction', kind: 'write', units }
  }
  if (prepared.kind === 'transact-get') {
    const units = prepared.transaction.gets.map(({ request, tableName }) => {
      const table = tables.get(tableName)
      if (!table) return { tableName, demands: [] }
      const units = TRANSACTION_COST_FACTOR * READ_UNITS.strong
      return { tableName, demands: [tableRead(table, units, request.Key as AttributeMap)] }
    })
    return { shape: 'transaction', kind: 'read', units }
  }
  const kind: AccessKind = READ_OPERATIONS.has(prepared.operation) ? 'read' : 'write'
  return (
    planDynaliteOperation(prepared.operation, kind, prepared.request, tables) ?? {
      shape: 'single',
      kind,
      unit: { tableName: tablesOf(prepared)[0] ?? '', demands: [] },
    }
  )
}

function planDynaliteOperation(
  operation: string,
  kind: AccessKind,
  request: ValidatedRequest,
  tables: ReadonlyMap<string, TableMeters>,
): AdmissionPlan | undefined {
  if (operation === 'BatchGetItem') return planBatchGet(request, tables)
  if (operation === 'BatchWriteItem') return planBatchWrite(request, tables)
  const tableName = String(request.TableName)
  const table = tables.get(tableName)
  if (!table) return { shape: 'single', kind, unit: { tableName, demands: [] } }
  const single = (demands: MeterDemand[] | undefined): AdmissionPlan | undefined =>
    demands && { shape: 'single', kind, unit: { tableName, demands } }

  switch (operation) {
    case 'GetItem': {
      const key = request.Key as AttributeMap
      if (dynaliteDb.validateKey(key, table.description)) return undefined
      return single([tableRead(table, readUnits(request), key)])
    }
    case 'Query':
    case 'Scan':
      return single(indexReadDemands(table, request, operation === 'Query'))
    case 'PutItem': {
      const item = request.Item as AttributeMap
      if (dynaliteDb.validateItem(item, table.description)) return undefined
      return single(putDemands(table, item))
    }
    case 'UpdateItem':
    case 'DeleteItem': {
      const key = request.Key as AttributeMap
      if (dynaliteDb.validateKey(key, table.description)) return undefined
      return single(keyedWriteDemands(table, key))
    }
    default:
      return undefined
  }
}

function planBatchGet(
  request: ValidatedRequest,
  tables: ReadonlyMap<string, TableMeters>,
): AdmissionPlan | undefined {
  const units: AdmissionUnit[] = []
  const requestItems = request.RequestItems as Record<
    string,
    { Keys: AttributeMap[] } & ValidatedRequest
  >
  for (const [tableName, tableRequest] of Object.entries(requestItems)) {
    const table = tables.get(tableName)
    for (const [position, key] of tableRequest.Keys.entries()) {
      if (!table) {
        units.push({ tableName, position, demands: [] })
        continue
      }
      if (dynaliteDb.validateKey(key, table.description)) return undefined
      const demands = [tableRead(table, readUnits(tableRequest), key)]
      units.push({ tableName, position, demands })
    }
  }
  return { shape: 'batch', kind: 'read', units }
}

interface WriteRequest {
  PutRequest?: { Item: AttributeMap }
  DeleteRequest?: { Key: AttributeMap }
}

function planBatchWrite(
  request: ValidatedRequest,
  tables: ReadonlyMap<string, TableMeters>,
): AdmissionPlan | undefined {
  const units: AdmissionUnit[] = []
  for (const [tableName, writes] of Object.entries(
    request.RequestItems as Record<string, WriteRequest[]>,
  )) {
    const table = tables.get(tableName)
    const seenKeys = new Set<string>()
    for (const [position, write] of writes.entries()) {
      if (!table) {
        units.push({ tableName, position, demands: [] })
        continue
      }
      const item = write.PutRequest?.Item
      const key = write.DeleteRequest?.Key
      const invalid = item
        ? dynaliteDb.validateItem(item, table.description)
        : !key || dynaliteDb.validateKey(key, table.description)
      if (invalid) return undefined
      // A batch naming one item twice is rejected whole: leave it to dynalite's validation.
      const itemKey = dynaliteDb.createKey((item ?? key) as AttributeMap, table.description)
      if (seenKeys.has(itemKey)) return undefined
      seenKeys.add(itemKey)
      const demands = item ? putDemands(table, item) : keyedWriteDemands(table, key as AttributeMap)
      units.push({ tableName, position, demands })
    }
  }
  return { shape: 'batch', kind: 'write', units }
}

function indexReadDemands(
  table: TableMeters,
  request: ValidatedRequest,
  isQuery: boolean,
): MeterDemand[] | undefined {
  const indexName = request.IndexName as string | undefined
  const global = indexName === undefined ? undefined : table.globalIndexes.get(indexName)
  const local = indexName === undefined ? undefined : table.localIndexes.get(indexName)
  if (indexName !== undefined && !global && !local) return undefined
  // Consistent reads of a global index are a validation error, not a read.
  if (global && request.ConsistentRead) return undefined
  const meter = global ? global.read : table.table.read
  const hashKey = global ? global.shape.hashKey : table.hashKey
  const conditions = request.KeyConditions as
    | Record<string, { AttributeValueList?: unknown[] }>
    | undefined
  const hashValue = isQuery ? conditions?.[hashKey]?.AttributeValueList?.[0] : undefined
  const partition = hashValue === undefined ? undefined : partitionId(global?.shape.name, hashValue)
  return [{ meter, units: readUnits(request), table, partition }]
}

function putDemands(table: TableMeters, item: AttributeMap): MeterDemand[] {
  const demands = [tableWrite(table, Math.max(1, writeUnits(item)), item)]
  for (const index of table.globalIndexes.values()) {
    const units = writeUnits(entryOf(index.shape, item))
    demands.push({ meter: index.write, units, table, partition: undefined })
  }
  return demands
}

function keyedWriteDemands(table: TableMeters, key: AttributeMap): MeterDemand[] {
  const demands = [tableWrite(table, 1, key)]
  for (const index of table.globalIndexes.values()) {
    demands.push({ meter: index.write, units: 0, table, partition: undefined })
  }
  return demands
}

function tableRead(table: TableMeters, units: number, key: AttributeMap): MeterDemand {
  return {
    meter: table.table.read,
    units,
    table,
    partition: partitionId(undefined, key[table.hashKey]),
  }
}

function tableWrite(table: TableMeters, units: number, key: AttributeMap): MeterDemand {
  return {
    meter: table.table.write,
    units,
    table,
    partition: partitionId(undefined, key[table.hashKey]),
  }
}

function readUnits(request: ValidatedRequest): number {
  return request.ConsistentRead ? READ_UNITS.strong : READ_UNITS.eventual
}

/** A partition key value of the table (or of a global index, named), as one string. */
export function partitionId(indexName: string | undefined, hashValue: unknown): string {
  return `${indexName ?? ''}\u0000${JSON.stringify(hashValue)}`
}
