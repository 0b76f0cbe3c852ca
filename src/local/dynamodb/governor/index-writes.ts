import { type AttributeMap, dynaliteDb } from '../dynalite.js'
import type { IndexShape } from './meters.js'

/** Write capacity units are counted per 1 KB of the item, or here of the index entry. */
const WRITE_UNIT_BYTES = 1024

/** What one item write cost one secondary index. */
export interface IndexWrite {
  indexName: string
  local: boolean
  units: number
}

/**
 * The write units an item write costs each secondary index, from the item before and after:
 * an entry added or removed costs one write, a changed index key two (delete and put), a changed
 * projected attribute one, an item in the index neither before nor after nothing; each write is
 * rounded up per 1 KB of the index entry (its keys and projected attributes). When an entry is
 * rewritten in place, the larger of the old and new entry counts, as for table writes.
 */
export function indexWriteUnits(
  indexes: Iterable<IndexShape>,
  before: AttributeMap | undefined,
  after: AttributeMap | undefined,
): IndexWrite[] {
  const writes: IndexWrite[] = []
  for (const index of indexes) {
    const units = entryWriteUnits(index, entryOf(index, before), entryOf(index, after))
    if (units > 0) writes.push({ indexName: index.name, local: index.local, units })
  }
  return writes
}

function entryWriteUnits(
  index: IndexShape,
  previous: AttributeMap | undefined,
  next: AttributeMap | undefined,
): number {
  if (!previous && !next) return 0
  if (!previous) return writeUnits(next)
  if (!next) return writeUnits(previous)
  const keyChanged = index.indexKeys.some((name) => !sameValue(previous[name], next[name]))
  if (keyChanged) return writeUnits(previous) + writeUnits(next)
  if (sameValue(previous, next)) return 0
  return Math.max(writeUnits(previous), writeUnits(next))
}

/** The item's entry in the index, or undefined when it lacks one of the index's key attributes. */
export function entryOf(
  index: IndexShape,
  item: AttributeMap | undefined,
): AttributeMap | undefined {
  if (!item || index.indexKeys.some((name) => item[name] === undefined)) return undefined
  if (index.projected === 'all') return item
  const entry: AttributeMap = {}
  for (const name of [...index.keyNames, ...index.projected]) {
    const value = item[name]
    if (value !== undefined) entry[name] = value
  }
  return entry
}

export function writeUnits(item: AttributeMap | undefined): number {
  return item ? Math.ceil(dynaliteDb.itemSize(item) / WRITE_UNIT_BYTES) : 0
}

/** Structural equality of attribute values, blind to prototypes (dynalite uses null-prototype maps). */
function sameValue(a: unknown, b: unknown): boolean {
  if (a === b) return true
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null) return false
  if (Array.isArray(a) !== Array.isArray(b)) return false
  const aKeys = Object.keys(a)
  const bRecord = b as Record<string, unknown>
  if (aKeys.length !== Object.keys(b).length) return false
  return aKeys.every(
    (key) =>
      Object.hasOwn(bRecord, key) && sameValue((a as Record<string, unknown>)[key], bRecord[key]),
  )
}
