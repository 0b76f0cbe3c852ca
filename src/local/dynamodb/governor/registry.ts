import { type DynaliteStore, getTable, type TableDescription } from '../dynalite.js'
import type { Clock } from './clock.js'
import type { GovernorConfig } from './config.js'
import { type OnDemandMax, TableMeters } from './meters.js'

/**
 * The governor's view of every table's capacity, built from dynalite's own table descriptions
 * (what CreateTable and UpdateTable stored), plus the on-demand maximums dynalite does not keep.
 *
 * A table whose capacity was changed keeps its old capacity until it is ACTIVE again, as on AWS:
 * while it is UPDATING, each request re-reads the description, and the first that finds the
 * table ACTIVE applies the new capacity.
 */
/**
 * Where a table's on-demand maximums are kept in the store, beside dynalite's own keys (its
 * prefixes are `table~`, `item-…~`, `index-…~` and `tag-…~`), so they survive a restart on disk.
 */
const MAXIMA_KEY_PREFIX = 'aplus-on-demand-max~'

interface SavedMaxima {
  table?: OnDemandMax
  indexes?: Record<string, OnDemandMax>
}

export class CapacityRegistry {
  private readonly tables = new Map<string, TableMeters>()
  private readonly changing = new Set<string>()
  private readonly maxima = new Map<string, OnDemandMax>()

  constructor(
    private readonly store: DynaliteStore,
    private readonly config: GovernorConfig,
    private readonly clock: Clock,
  ) {}

  /** The table's meters if they are known and current, without waiting. */
  cached(tableName: string): TableMeters | undefined {
    return this.changing.has(tableName) ? undefined : this.tables.get(tableName)
  }

  /** The table's meters, loaded or refreshed from its description; undefined if it does not exist. */
  async lookup(tableName: string): Promise<TableMeters | undefined> {
    const cached = this.cached(tableName)
    if (cached) return cached
    let description: TableDescription
    try {
      description = await getTable(this.store, tableName)
    } catch {
      return undefined
    }
    if (!this.tables.has(tableName)) await this.restoreMaxima(tableName)
    return this.apply(description)
  }

  /**
   * Writes the table's on-demand maximums to the store (or removes them when none is set), so a
   * store reopened from disk enforces and reports them as before.
   */
  async saveMaxima(tableName: string): Promise<void> {
    const saved: SavedMaxima = {}
    const indexes: Record<string, OnDemandMax> = {}
    for (const [key, max] of this.maxima) {
      if (max.read === undefined && max.write === undefined) continue
      if (key === tableName) saved.table = max
      else if (key.startsWith(`${tableName}\u0000`)) indexes[key.slice(tableName.length + 1)] = max
    }
    if (Object.keys(indexes).length > 0) saved.indexes = indexes
    const key = `${MAXIMA_KEY_PREFIX}${tableName}`
    if (saved.table === undefined && saved.indexes === undefined) await this.store.db.del(key)
    else await this.store.db.put(key, saved)
  }

  /** Reads saved maximums of a table seen for the first time, unless some are set already. */
  private async restoreMaxima(tableName: string): Promise<void> {
    const known = [...this.maxima.keys()].some(
      (key) => key === tableName || key.startsWith(`${tableName}\u0000`),
    )
    if (known) return
    const saved = (await this.store.db.get(`${MAXIMA_KEY_PREFIX}${tableName}`)) as
      | SavedMaxima
      | undefined
    if (saved?.table) this.maxima.set(tableName, saved.table)
    for (const [indexName, max] of Object.entries(saved?.indexes ?? {})) {
      this.maxima.set(maxKey(tableName, indexName), max)
    }
  }

  /** The table was created or its capacity changed: read its description again once ACTIVE. */
  markChanged(tableName: string): void {
    this.changing.add(tableName)
  }

  remove(tableName: string): void {
    this.tables.delete(tableName)
    this.changing.delete(tableName)
    for (const key of this.maxima.keys()) {
      if (key === tableName || key.startsWith(`${tableName}\u0000`)) this.maxima.delete(key)
    }
  }

  /** Records OnDemandThroughput for a table (indexName undefined) or one of its indexes. */
  setOnDemandMax(tableName: string, indexName: string | undefined, max: OnDemandMax): void {
    const key = maxKey(tableName, indexName)
    this.maxima.set(key, { ...this.maxima.get(key), ...max })
  }

  onDemandMax(tableName: string, indexName: string | undefined): OnDemandMax {
    return this.maxima.get(maxKey(tableName, indexName)) ?? {}
  }

  /** Brings every changing table up to date (called once a second, so metrics see changes). */
  async refreshChanging(): Promise<void> {
    await Promise.all([...this.changing].map((name) => this.lookup(name)))
  }

  all(): Iterable<TableMeters> {
    return this.tables.values()
  }

  private apply(description: TableDescription): TableMeters {
    const name = description.TableName
    const maxima = (indexName: string | undefined) => this.onDemandMax(name, indexName)
    const nowMs = this.clock.nowMs()
    const existing = this.tables.get(name)
    if (!existing) {
      const meters = new TableMeters(description, this.config, maxima, nowMs)
      this.tables.set(name, meters)
      if (isActive(description)) this.changing.delete(name)
      return meters
    }
    if (!isActive(description)) return existing
    existing.update(description, maxima, nowMs)
    this.changing.delete(name)
    return existing
  }
}

const maxKey = (tableName: string, indexName: string | undefined) =>
  indexName === undefined ? tableName : `${tableName}\u0000${indexName}`

function isActive(description: TableDescription): boolean {
  return (
    description.TableStatus === 'ACTIVE' &&
    (description.GlobalSecondaryIndexes ?? []).every(
      (index) => index.IndexStatus === undefined || index.IndexStatus === 'ACTIVE',
    )
  )
}
