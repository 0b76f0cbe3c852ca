import type { IndexDescription, TableDescription } from '../dynalite.js'
import type { GovernorConfig } from './config.js'
import {
  type CapacityMode,
  type Limiter,
  type LimiterState,
  OnDemandLimiter,
  ProvisionedLimiter,
} from './limiters.js'
import { type AccessKind, PartitionCeilings } from './partitions.js'

/** A table or one of its global secondary indexes: what ThrottlingReasons name. */
export interface ResourceRef {
  tableName: string
  indexName: string | undefined
  arn: string
}

/** What an index's entries hold, to size index writes and find an entry's partition. */
export interface IndexShape {
  name: string
  local: boolean
  hashKey: string
  /** The index's own key attributes: an item without all of them is not in the index. */
  indexKeys: readonly string[]
  /** The index's key attributes and the table's, which every entry carries. */
  keyNames: readonly string[]
  /** Projected non-key attributes; `all` for ProjectionType ALL. */
  projected: readonly string[] | 'all'
}

/** MaxReadRequestUnits / MaxWriteRequestUnits of an on-demand table or index; absent: no cap. */
export interface OnDemandMax {
  read?: number | undefined
  write?: number | undefined
}

/** One resource's reads or writes: its limiter and what happened in the second under way. */
export class Meter {
  consumedUnits = 0
  throttledRequests = 0

  constructor(
    readonly resource: ResourceRef,
    readonly kind: AccessKind,
    public limiter: Limiter,
  ) {}

  /** Reports the second that ends at `secondEndMs` and starts counting the next one. */
  closeSecond(secondEndMs: number): MeterSecond {
    const second = {
      consumedUnits: this.consumedUnits,
      throttledRequests: this.throttledRequests,
      ...this.limiter.state(secondEndMs),
    }
    this.limiter.recordSecond(this.consumedUnits, secondEndMs)
    this.consumedUnits = 0
    this.throttledRequests = 0
    return second
  }
}

export interface MeterSecond extends LimiterState {
  consumedUnits: number
  /** Requests (or batch items) this resource refused in the second. */
  throttledRequests: number
}

export interface ResourceMeters {
  ref: ResourceRef
  read: Meter
  write: Meter
}

export interface GlobalIndexMeters extends ResourceMeters {
  shape: IndexShape
}

/** Everything the governor tracks for one table: its meters, its indexes, its hot keys. */
export class TableMeters {
  mode: CapacityMode
  /** The description the meters were last built from: key schema and indexes for validation. */
  description: TableDescription
  readonly table: ResourceMeters
  readonly hashKey: string
  readonly keyNames: readonly string[]
  readonly globalIndexes = new Map<string, GlobalIndexMeters>()
  readonly localIndexes = new Map<string, IndexShape>()
  readonly partitions: PartitionCeilings

  constructor(
    description: TableDescription,
    private readonly config: GovernorConfig,
    maxima: (indexName: string | undefined) => OnDemandMax,
    nowMs: number,
  ) {
    this.mode = modeOf(description)
    this.description = description
    this.keyNames = description.KeySchema.map((key) => key.AttributeName)
    this.hashKey = hashKeyOf(description.KeySchema)
    this.partitions = new PartitionCeilings(config.partitionCeiling)
    const ref = {
      tableName: description.TableName,
      indexName: undefined,
      arn: tableArn(description),
    }
    this.table = this.createMeters(ref, description.ProvisionedThroughput, maxima(undefined), nowMs)
    this.update(description, maxima, nowMs)
  }

  get name(): string {
    return this.table.ref.tableName
  }

  /** Applies a table's current description: capacity, billing mode, indexes added or removed. */
  update(
    description: TableDescription,
    maxima: (indexName: string | undefined) => OnDemandMax,
    nowMs: number,
  ): void {
    const mode = modeOf(description)
    const switched = mode !== this.mode
    this.mode = mode
    this.description = description
    this.updateMeters(
      this.table,
      description.ProvisionedThroughput,
      maxima(undefined),
      switched,
      nowMs,
    )

    const globals = description.GlobalSecondaryIndexes ?? []
    for (const name of this.globalIndexes.keys()) {
      if (!globals.some((index) => index.IndexName === name)) this.globalIndexes.delete(name)
    }
    for (const index of globals) {
      const existing = this.globalIndexes.get(index.IndexName)
      if (existing) {
        this.updateMeters(
          existing,
          index.ProvisionedThroughput,
          maxima(index.IndexName),
          switched,
          nowMs,
        )
        continue
      }
      const ref = {
        tableName: this.name,
        indexName: index.IndexName,
        arn: indexArn(description, index),
      }
      const meters = this.createMeters(
        ref,
        index.ProvisionedThroughput,
        maxima(index.IndexName),
        nowMs,
      )
      this.globalIndexes.set(index.IndexName, {
        ...meters,
        shape: indexShape(index, false, this.keyNames),
      })
    }
    this.localIndexes.clear()
    for (const index of description.LocalSecondaryIndexes ?? []) {
      this.localIndexes.set(index.IndexName, indexShape(index, true, this.keyNames))
    }
  }

  /** Every meter of the table: its own reads and writes, then each global index's. */
  *meters(): Iterable<Meter> {
    yield this.table.read
    yield this.table.write
    for (const index of this.globalIndexes.values()) {
      yield index.read
      yield index.write
    }
  }

  private createMeters(
    ref: ResourceRef,
    provisioned: TableDescription['ProvisionedThroughput'],
    max: OnDemandMax,
    nowMs: number,
  ): ResourceMeters {
    return {
      ref,
      read: new Meter(ref, 'read', this.limiter('read', provisioned, max, 0, nowMs)),
      write: new Meter(ref, 'write', this.limiter('write', provisioned, max, 0, nowMs)),
    }
  }

  private updateMeters(
    meters: ResourceMeters,
    provisioned: TableDescription['ProvisionedThroughput'],
    max: OnDemandMax,
    switched: boolean,
    nowMs: number,
  ): void {
    for (const meter of [meters.read, meters.write]) {
      const limiter = meter.limiter
      if (switched) {
        // A table switched to on-demand keeps at least what it was provisioned with.
        const previous = limiter instanceof ProvisionedLimiter ? limiter.provisionedUnits : 0
        meter.limiter = this.limiter(meter.kind, provisioned, max, previous, nowMs)
      } else if (limiter instanceof ProvisionedLimiter) {
        limiter.setProvisioned(unitsOf(provisioned, meter.kind), nowMs)
      } else if (limiter instanceof OnDemandLimiter) {
        limiter.setMax(max[meter.kind], nowMs)
      }
    }
  }

  private limiter(
    kind: AccessKind,
    provisioned: TableDescription['ProvisionedThroughput'],
    max: OnDemandMax,
    previousProvisionedUnits: number,
    nowMs: number,
  ): Limiter {
    const { burstSeconds, startingBalance, onDemand } = this.config
    if (this.mode === 'provisioned') {
      return new ProvisionedLimiter(
        unitsOf(provisioned, kind),
        burstSeconds,
        startingBalance,
        nowMs,
      )
    }
    const warm =
      kind === 'read' ? onDemand.warmReadUnitsPerSecond : onDemand.warmWriteUnitsPerSecond
    return new OnDemandLimiter(Math.max(warm, previousProvisionedUnits), onDemand, max[kind], nowMs)
  }
}

export function modeOf(description: TableDescription): CapacityMode {
  return description.BillingModeSummary?.BillingMode === 'PAY_PER_REQUEST'
    ? 'on-demand'
    : 'provisioned'
}

function unitsOf(provisioned: TableDescription['ProvisionedThroughput'], kind: AccessKind): number {
  return Number(
    (kind === 'read' ? provisioned?.ReadCapacityUnits : provisioned?.WriteCapacityUnits) ?? 0,
  )
}

function hashKeyOf(keySchema: TableDescription['KeySchema']): string {
  return (keySchema.find((key) => key.KeyType === 'HASH') ?? keySchema[0])?.AttributeName ?? ''
}

function indexShape(
  index: IndexDescription,
  local: boolean,
  tableKeys: readonly string[],
): IndexShape {
  const indexKeys = index.KeySchema.map((key) => key.AttributeName)
  const projection = index.Projection ?? {}
  return {
    name: index.IndexName,
    local,
    hashKey: hashKeyOf(index.KeySchema),
    indexKeys,
    keyNames: [...new Set([...indexKeys, ...tableKeys])],
    // As dynalite stores entries: anything but ALL keeps the keys and the named attributes.
    projected: projection.ProjectionType === 'ALL' ? 'all' : (projection.NonKeyAttributes ?? []),
  }
}

function tableArn(description: TableDescription): string {
  return (
    description.TableArn ?? `arn:aws:dynamodb:us-east-1:000000000000:table/${description.TableName}`
  )
}

function indexArn(description: TableDescription, index: IndexDescription): string {
  return index.IndexArn ?? `${tableArn(description)}/index/${index.IndexName}`
}
