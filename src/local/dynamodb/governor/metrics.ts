import {
  addWireFault,
  emptyWireFaultCounts,
  type WireFaultCounts,
  type WireFaultKind,
} from '../../faults/dynamodb.js'
import type { ConnectionCounts } from '../server.js'
import type { CapacityMode } from './limiters.js'
import type { MeterSecond, TableMeters } from './meters.js'

/** One table's or index's reads and writes in one second. */
export interface ResourceSecond {
  tableName: string
  /** Absent for the table itself. */
  indexName?: string
  mode: CapacityMode
  read: MeterSecond
  write: MeterSecond
}

/** Requests of one operation on one table in one second. */
export interface OperationSecond {
  tableName: string
  operation: string
  admitted: number
  throttled: number
  /** Items of partly admitted batches handed back as UnprocessedItems / UnprocessedKeys. */
  unprocessedItems: number
}

/** Everything the endpoint did in one second of the governor's clock. */
export interface SecondMetrics {
  epochSecond: number
  /** Connections open at the end of the second, and opened during it. */
  connections: ConnectionCounts
  /** Requests that were SDK retries of an earlier attempt, received in the second. */
  sdkRetries: number
  resources: ResourceSecond[]
  requests: OperationSecond[]
  /** Faults injected in this second (all zero when the run injects none). */
  faults: WireFaultCounts
}

export type MetricsListener = (second: SecondMetrics) => void

export type RequestOutcome = 'admitted' | 'throttled'

/**
 * The per-second timeline: each request is counted in the second it happens in, and when the
 * clock passes a second boundary the second is closed, kept (up to `historySeconds`) and sent to
 * subscribers. Seconds are closed by requests and by the governor's tick, so with an idle
 * endpoint and a system clock a second still closes within a second of its end.
 */
export class MetricsTimeline {
  private openSecond: number
  private readonly history: SecondMetrics[] = []
  private readonly listeners = new Set<MetricsListener>()
  private requests = new Map<string, OperationSecond>()
  private faults = emptyWireFaultCounts()
  private connectionsOpenedBefore = 0
  private connections: () => ConnectionCounts = () => ({ open: 0, opened: 0 })
  private retries: () => number = () => 0
  private retriesBefore = 0

  constructor(
    private readonly tables: () => Iterable<TableMeters>,
    private readonly historySeconds: number,
    nowMs: number,
  ) {
    this.openSecond = Math.floor(nowMs / 1000)
  }

  /** Where connection counts come from (the wire server, once it is listening). */
  countConnectionsWith(source: () => ConnectionCounts): void {
    this.connections = source
    this.connectionsOpenedBefore = source().opened
  }

  /** Where the count of SDK retries comes from (the wire server, which sees the headers). */
  countRetriesWith(source: () => number): void {
    this.retries = source
    this.retriesBefore = source()
  }

  /** Closes every second that ended before `nowMs`. */
  advance(nowMs: number): void {
    const current = Math.floor(nowMs / 1000)
    if (current <= this.openSecond) return
    this.close(this.openSecond)
    // Seconds older than the history keep nothing worth reporting: skip them.
    const firstKept = Math.max(this.openSecond + 1, current - this.historySeconds)
    for (let second = firstKept; second < current; second += 1) this.close(second)
    this.openSecond = current
  }

  countRequest(
    tableName: string,
    operation: string,
    outcome: RequestOutcome,
    unprocessedItems = 0,
  ): void {
    const key = `${tableName}\u0000${operation}`
    let counts = this.requests.get(key)
    if (!counts) {
      counts = { tableName, operation, admitted: 0, throttled: 0, unprocessedItems: 0 }
      this.requests.set(key, counts)
    }
    counts[outcome] += 1
    counts.unprocessedItems += unprocessedItems
  }

  /** Counts one injected fault in the current second. */
  countFault(kind: WireFaultKind, addedLatencyMs = 0): void {
    addWireFault(this.faults, kind, addedLatencyMs)
  }

  /** Calls `listener` with every second closed from now on; returns the unsubscribe function. */
  subscribe(listener: MetricsListener): () => void {
    this.listeners.add(listener)
    return () => this.listeners.delete(listener)
  }

  /** Closed seconds kept in history, oldest first, optionally only those after `afterEpochSecond`. */
  seconds(afterEpochSecond = Number.NEGATIVE_INFINITY): SecondMetrics[] {
    return this.history.filter((second) => second.epochSecond > afterEpochSecond)
  }

  private close(epochSecond: number): void {
    const secondEndMs = (epochSecond + 1) * 1000
    const resources: ResourceSecond[] = []
    for (const table of this.tables()) {
      resources.push({
        tableName: table.name,
        mode: table.mode,
        read: table.table.read.closeSecond(secondEndMs),
        write: table.table.write.closeSecond(secondEndMs),
      })
      for (const [indexName, index] of table.globalIndexes) {
        resources.push({
          tableName: table.name,
          indexName,
          mode: table.mode,
          read: index.read.closeSecond(secondEndMs),
          write: index.write.closeSecond(secondEndMs),
        })
      }
      table.partitions.sweep(secondEndMs)
    }
    const { open, opened } = this.connections()
    const retries = this.retries()
    const second: SecondMetrics = {
      epochSecond,
      connections: { open, opened: opened - this.connectionsOpenedBefore },
      sdkRetries: retries - this.retriesBefore,
      resources,
      requests: [...this.requests.values()],
      faults: this.faults,
    }
    this.connectionsOpenedBefore = opened
    this.retriesBefore = retries
    this.requests = new Map()
    this.faults = emptyWireFaultCounts()
    this.history.push(second)
    if (this.history.length > this.historySeconds) this.history.shift()
    for (const listener of this.listeners) listener(second)
  }
}
