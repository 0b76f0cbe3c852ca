import type { ValidatedRequest } from '../dynalite.js'

type Body = Record<string, unknown>

/** A batch cut down to the items admitted, and what goes back to the caller as unprocessed. */
export interface BatchSplit {
  request: ValidatedRequest
  /** UnprocessedKeys (BatchGetItem) or UnprocessedItems (BatchWriteItem), as the caller sent them. */
  unprocessed: Record<string, unknown>
  unprocessedCount: Map<string, number>
}

/**
 * Splits a BatchGetItem or BatchWriteItem: the admitted items form the request that runs, the
 * others are handed back exactly as sent (per table, with the table's projection and consistency
 * settings for keys), so the caller can retry them as AWS asks.
 */
export function splitBatch(
  operation: 'BatchGetItem' | 'BatchWriteItem',
  request: ValidatedRequest,
  rawBody: Body,
  admitted: (tableName: string, position: number) => boolean,
): BatchSplit {
  const validatedItems = request.RequestItems as Record<string, unknown>
  const rawItems = rawBody.RequestItems as Record<string, unknown>
  const runItems: Record<string, unknown> = {}
  const unprocessed: Record<string, unknown> = {}
  const unprocessedCount = new Map<string, number>()

  for (const [tableName, validated] of Object.entries(validatedItems)) {
    const raw = rawItems[tableName]
    const keep = (_: unknown, position: number) => admitted(tableName, position)
    const drop = (_: unknown, position: number) => !admitted(tableName, position)
    if (operation === 'BatchWriteItem') {
      const run = (validated as unknown[]).filter(keep)
      const rest = (raw as unknown[]).filter(drop)
      if (run.length > 0) runItems[tableName] = run
      if (rest.length > 0) unprocessed[tableName] = rest
      unprocessedCount.set(tableName, rest.length)
    } else {
      const validatedTable = validated as { Keys: unknown[] }
      const rawTable = raw as { Keys: unknown[] }
      const run = validatedTable.Keys.filter(keep)
      const rest = rawTable.Keys.filter(drop)
      if (run.length > 0) runItems[tableName] = { ...validatedTable, Keys: run }
      if (rest.length > 0) unprocessed[tableName] = { ...rawTable, Keys: rest }
      unprocessedCount.set(tableName, rest.length)
    }
  }
  return { request: { ...request, RequestItems: runItems }, unprocessed, unprocessedCount }
}

/** Adds the governor's unprocessed items to those dynalite returned (its 1 MB response limit). */
export function mergeUnprocessed(
  operation: 'BatchGetItem' | 'BatchWriteItem',
  fromDynalite: unknown,
  fromGovernor: Record<string, unknown>,
): Record<string, unknown> {
  const merged: Record<string, unknown> = { ...((fromDynalite as Record<string, unknown>) ?? {}) }
  for (const [tableName, items] of Object.entries(fromGovernor)) {
    const existing = merged[tableName]
    if (existing === undefined) {
      merged[tableName] = items
    } else if (operation === 'BatchWriteItem') {
      merged[tableName] = [...(existing as unknown[]), ...(items as unknown[])]
    } else {
      const keys = (items as { Keys: unknown[] }).Keys
      const current = existing as { Keys: unknown[] }
      merged[tableName] = { ...current, Keys: [...current.Keys, ...keys] }
    }
  }
  return merged
}
