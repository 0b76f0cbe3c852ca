import type { DynaliteStore } from './dynalite.js'

/** An item a multi-item operation touches: its table and dynalite's key string for it. */
export interface ItemRef {
  tableName: string
  key: string
}

/**
 * Takes dynalite's own per-item locks on every item at once, so plain PutItem/UpdateItem/DeleteItem
 * calls on those items wait until `work` is done. Tables are locked in name order and each table's
 * keys in one call (which the lock library registers synchronously), so two multi-item operations
 * can never wait on each other in a cycle.
 */
export async function withItemLocks<T>(
  store: DynaliteStore,
  items: readonly ItemRef[],
  work: (lockedStore: DynaliteStore) => Promise<T>,
): Promise<T> {
  const keysByTable = new Map<string, string[]>()
  for (const { tableName, key } of items) {
    const keys = keysByTable.get(tableName) ?? []
    // The lock library would wait forever on a key listed twice in one call.
    if (!keys.includes(key)) keys.push(key)
    keysByTable.set(tableName, keys)
  }
  const releases: (() => void)[] = []
  try {
    for (const tableName of [...keysByTable.keys()].sort()) {
      const keys = keysByTable.get(tableName) ?? []
      releases.push(await acquire(store, tableName, keys))
    }
    return await work(storeHoldingLocks(store, keysByTable))
  } finally {
    for (const release of releases.reverse()) release()
  }
}

function acquire(store: DynaliteStore, tableName: string, keys: string[]): Promise<() => void> {
  return new Promise((resolve) => {
    store.getItemDb(tableName).lock(keys, (release) => resolve(release(() => undefined)))
  })
}

/**
 * A view of the store whose item locks are already held for the given keys: dynalite's actions,
 * run through it, do their usual work without waiting on the locks their caller holds.
 */
function storeHoldingLocks(
  store: DynaliteStore,
  heldKeys: ReadonlyMap<string, readonly string[]>,
): DynaliteStore {
  const getItemDb: DynaliteStore['getItemDb'] = (tableName) => {
    const itemDb = store.getItemDb(tableName)
    const held = new Set(heldKeys.get(tableName))
    return Object.create(itemDb, {
      lock: {
        value: (keys: string | string[], work: Parameters<typeof itemDb.lock>[1]) => {
          const wanted = Array.isArray(keys) ? keys : [keys]
          if (wanted.every((key) => held.has(key))) return work((done) => done)
          return itemDb.lock(keys, work)
        },
      },
    })
  }
  return Object.create(store, { getItemDb: { value: getItemDb } })
}
