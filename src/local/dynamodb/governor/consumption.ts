import type { IndexWrite } from './index-writes.js'
import type { Meter, TableMeters } from './meters.js'
import type { AccessKind } from './partitions.js'

/** What one request consumed on one table: the table itself and each secondary index. */
export interface TableConsumption {
  tableName: string
  tableUnits: number
  indexes: Map<string, { units: number; local: boolean }>
}

export type Consumption = Map<string, TableConsumption>

export const CAPACITY_REPORTS = ['NONE', 'TOTAL', 'INDEXES'] as const
export type CapacityReport = (typeof CAPACITY_REPORTS)[number]

interface WireCapacity {
  TableName?: unknown
  CapacityUnits?: unknown
  Table?: { CapacityUnits?: unknown }
  GlobalSecondaryIndexes?: Record<string, { CapacityUnits?: unknown }>
  LocalSecondaryIndexes?: Record<string, { CapacityUnits?: unknown }>
}

/** Reads dynalite's ConsumedCapacity (one object, or a list for batches and transactions). */
export function consumptionFrom(consumedCapacity: unknown): Consumption {
  const consumption: Consumption = new Map()
  const entries = Array.isArray(consumedCapacity) ? consumedCapacity : [consumedCapacity]
  for (const entry of entries as (WireCapacity | undefined)[]) {
    if (!entry || typeof entry.TableName !== 'string') continue
    const table = tableConsumption(consumption, entry.TableName)
    table.tableUnits += Number(entry.Table?.CapacityUnits ?? entry.CapacityUnits ?? 0)
    for (const [indexes, local] of [
      [entry.GlobalSecondaryIndexes, false],
      [entry.LocalSecondaryIndexes, true],
    ] as const) {
      for (const [name, capacity] of Object.entries(indexes ?? {})) {
        addIndexUnits(table, name, Number(capacity.CapacityUnits ?? 0), local)
      }
    }
  }
  return consumption
}

/** Adds the index writes one item write caused, times `factor` (2 inside a transaction). */
export function addIndexWrites(
  consumption: Consumption,
  tableName: string,
  writes: readonly IndexWrite[],
  factor: number,
): void {
  if (writes.length === 0) return
  const table = tableConsumption(consumption, tableName)
  for (const write of writes)
    addIndexUnits(table, write.indexName, write.units * factor, write.local)
}

/**
 * ConsumedCapacity as the caller asked for it: nothing for NONE, the total per table for TOTAL,
 * and the table and each index for INDEXES (local index units belong to the table's throughput
 * but are reported apart, as DynamoDB does).
 */
export function reportedCapacity(
  consumption: Consumption,
  requested: CapacityReport | undefined,
  asList: boolean,
): unknown {
  if (requested !== 'TOTAL' && requested !== 'INDEXES') return undefined
  const reports = [...consumption.values()].map((table) => {
    let total = table.tableUnits
    for (const index of table.indexes.values()) total += index.units
    const report: Record<string, unknown> = { TableName: table.tableName, CapacityUnits: total }
    if (requested === 'TOTAL') return report
    report.Table = { CapacityUnits: table.tableUnits }
    const globals = indexReport(table, false)
    const locals = indexReport(table, true)
    if (globals) report.GlobalSecondaryIndexes = globals
    if (locals) report.LocalSecondaryIndexes = locals
    return report
  })
  return asList ? reports : reports[0]
}

/**
 * The units each meter must be charged: a table's reads or writes carry its own units and its
 * local indexes' (which share the table's throughput); each global index has its own meter.
 */
export function meterCharges(
  consumption: Consumption,
  kind: AccessKind,
  tables: ReadonlyMap<string, TableMeters>,
): Map<Meter, number> {
  const charges = new Map<Meter, number>()
  const add = (meter: Meter, units: number) => charges.set(meter, (charges.get(meter) ?? 0) + units)
  for (const table of consumption.values()) {
    const meters = tables.get(table.tableName)
    if (!meters) continue
    add(meters.table[kind], table.tableUnits)
    for (const [name, index] of table.indexes) {
      const global = meters.globalIndexes.get(name)
      if (global) add(global[kind], index.units)
      else add(meters.table[kind], index.units)
    }
  }
  return charges
}

function tableConsumption(consumption: Consumption, tableName: string): TableConsumption {
  let table = consumption.get(tableName)
  if (!table) {
    table = { tableName, tableUnits: 0, indexes: new Map() }
    consumption.set(tableName, table)
  }
  return table
}

function addIndexUnits(table: TableConsumption, name: string, units: number, local: boolean) {
  const index = table.indexes.get(name)
  if (index) index.units += units
  else table.indexes.set(name, { units, local })
}

function indexReport(table: TableConsumption, local: boolean) {
  const entries = [...table.indexes].filter(([, index]) => index.local === local)
  if (entries.length === 0) return undefined
  return Object.fromEntries(entries.map(([name, index]) => [name, { CapacityUnits: index.units }]))
}
