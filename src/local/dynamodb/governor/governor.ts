import { type AttributeMap, dynaliteDb, getItem, type ValidatedRequest } from '../dynalite.js'
import type { DynamoDbEngine, PreparedOperation } from '../engine.js'
import { DynamoDbServiceError } from '../errors.js'
import type { OperationHandler } from '../server.js'
import { AutoScaler, type ScalingAction } from './auto-scaling.js'
import { mergeUnprocessed, splitBatch } from './batch.js'
import { type Clock, systemClock } from './clock.js'
import { type GovernorConfig, type GovernorConfigInput, resolveGovernorConfig } from './config.js'
import {
  addIndexWrites,
  CAPACITY_REPORTS,
  type CapacityReport,
  consumptionFrom,
  meterCharges,
  reportedCapacity,
} from './consumption.js'
import { ControlPlane } from './control-plane.js'
import {
  type AdmissionPlan,
  type AdmissionUnit,
  DATA_PLANE_OPERATIONS,
  planAdmission,
  tablesOf,
} from './demand.js'
import { indexWriteUnits, writeUnits } from './index-writes.js'
import type { CapacityMode, LimiterState } from './limiters.js'
import type { Meter, TableMeters } from './meters.js'
import { MetricsTimeline } from './metrics.js'
import type { AccessKind } from './partitions.js'
import { CapacityRegistry } from './registry.js'
import { type Refusal, throttlingError, transactionThrottledError } from './throttle-errors.js'

export interface GovernorSnapshot {
  atMs: number
  tables: {
    tableName: string
    mode: CapacityMode
    resources: { indexName?: string; arn: string; read: LimiterState; write: LimiterState }[]
  }[]
  scalingActions: ScalingAction[]
}

export interface CapacityGovernorOptions {
  engine: DynamoDbEngine
  config?: GovernorConfigInput
  clock?: Clock
  /** Told of failures in background work (auto scaling's UpdateTable). */
  onError?: (error: unknown) => void
}

/** Units set aside per meter when a request was admitted, settled against what it consumed. */
type Reservation = Map<Meter, number>

interface ObservedWrite {
  tableName: string
  before: AttributeMap | undefined
  after: AttributeMap | undefined
}

/**
 * The capacity governor: it sits between the wire server and the engine and does what DynamoDB's
 * request router does with capacity. Each data-plane request is validated, then admitted only if
 * every table and index it needs has capacity (a throttled request does no work); it runs on the
 * engine with dynalite asked for ConsumedCapacity by index, and what it really consumed (index
 * writes included, which dynalite does not report) is charged to each bucket. The caller gets
 * ConsumedCapacity only as it asked for it.
 */
export class CapacityGovernor {
  readonly config: GovernorConfig
  readonly registry: CapacityRegistry
  readonly metrics: MetricsTimeline
  readonly autoScaler: AutoScaler
  readonly clock: Clock
  private readonly engine: DynamoDbEngine
  private readonly controlPlane: ControlPlane

  constructor(options: CapacityGovernorOptions) {
    this.engine = options.engine
    this.config = resolveGovernorConfig(options.config)
    this.clock = options.clock ?? systemClock
    this.registry = new CapacityRegistry(this.engine.store, this.config, this.clock)
    this.controlPlane = new ControlPlane(this.engine, this.registry)
    this.metrics = new MetricsTimeline(
      () => this.registry.all(),
      this.config.metrics.historySeconds,
      this.clock.nowMs(),
    )
    this.autoScaler = new AutoScaler(
      this.config.autoScaling,
      (action) => this.applyScaling(action),
      options.onError ?? (() => undefined),
    )
    if (this.autoScaler.enabled) this.metrics.subscribe((second) => this.autoScaler.observe(second))
  }

  /** The handler to give the wire server. */
  readonly handle: OperationHandler = (operation, body) => this.serve(operation, body)

  /**
   * Brings capacity changes, metrics and auto scaling up to the clock's time without a request;
   * the local endpoint calls it every second.
   */
  async tick(): Promise<void> {
    await this.registry.refreshChanging()
    this.metrics.advance(this.clock.nowMs())
    await this.autoScaler.settled()
  }

  /** Every table's and index's capacity right now, and the changes auto scaling made. */
  snapshot(): GovernorSnapshot {
    const nowMs = this.clock.nowMs()
    const tables = [...this.registry.all()].map((table) => ({
      tableName: table.name,
      mode: table.mode,
      resources: [
        { indexName: undefined, meters: table.table },
        ...[...table.globalIndexes].map(([indexName, meters]) => ({ indexName, meters })),
      ].map(({ indexName, meters }) => ({
        ...(indexName === undefined ? {} : { indexName }),
        arn: meters.ref.arn,
        read: meters.read.limiter.state(nowMs),
        write: meters.write.limiter.state(nowMs),
      })),
    }))
    return { atMs: nowMs, tables, scalingActions: [...this.autoScaler.actions] }
  }

  private async serve(operation: string, body: unknown): Promise<Record<string, unknown>> {
    this.metrics.advance(this.clock.nowMs())
    if (this.controlPlane.handles(operation)) return this.controlPlane.handle(operation, body)
    if (!DATA_PLANE_OPERATIONS.has(operation)) return this.engine.execute(operation, body)

    const { report, forwarded } = askForIndexes(body)
    const prepared = await this.engine.prepare(operation, forwarded)
    const tables = await this.tables(tablesOf(prepared))
    const plan = planAdmission(prepared, tables)
    if (plan.shape === 'batch') return this.serveBatch(prepared, plan, tables, body, report)

    const units = plan.shape === 'single' ? [plan.unit] : plan.units
    const refusals = units.map((unit) => this.refusals(unit, plan.kind))
    if (refusals.some((unitRefusals) => unitRefusals.length > 0)) {
      this.countRequest(units, operation, 'throttled')
      throw plan.shape === 'single'
        ? throttlingError(refusals.flat())
        : transactionThrottledError(refusals)
    }
    const reservation = this.reserve(units, plan.kind)
    this.countRequest(units, operation, 'admitted')
    return this.runAndSettle(prepared, plan, tables, reservation, report)
  }

  private async serveBatch(
    prepared: PreparedOperation,
    plan: Extract<AdmissionPlan, { shape: 'batch' }>,
    tables: ReadonlyMap<string, TableMeters>,
    body: unknown,
    report: CapacityReport | undefined,
  ): Promise<Record<string, unknown>> {
    if (prepared.kind !== 'dynalite') throw new Error('a batch is a dynalite operation')
    const operation = prepared.operation as 'BatchGetItem' | 'BatchWriteItem'
    const refused: Refusal[] = []
    const admitted = new Set<string>()
    const reservation = this.emptyReservation()
    for (const unit of plan.units) {
      // Items are admitted one by one, each reserving its units, so a batch takes what is left.
      const refusals = this.refusals(unit, plan.kind)
      if (refusals.length > 0) {
        refused.push(...refusals)
        continue
      }
      this.reserveInto(reservation, unit, plan.kind)
      admitted.add(`${unit.tableName}\u0000${unit.position}`)
    }
    if (admitted.size === 0 && refused.length > 0) {
      this.countRequest(plan.units, operation, 'throttled')
      throw throttlingError(refused)
    }
    if (refused.length === 0) {
      this.countRequest(plan.units, operation, 'admitted')
      return this.runAndSettle(prepared, plan, tables, reservation, report)
    }

    const split = splitBatch(operation, prepared.request, body as Record<string, unknown>, (t, p) =>
      admitted.has(`${t}\u0000${p}`),
    )
    for (const tableName of new Set(plan.units.map((unit) => unit.tableName))) {
      this.metrics.countRequest(
        tableName,
        operation,
        'admitted',
        split.unprocessedCount.get(tableName),
      )
    }
    const response = await this.runAndSettle(
      { ...prepared, request: split.request },
      plan,
      tables,
      reservation,
      report,
    )
    const field = operation === 'BatchGetItem' ? 'UnprocessedKeys' : 'UnprocessedItems'
    return { ...response, [field]: mergeUnprocessed(operation, response[field], split.unprocessed) }
  }

  /** Runs an admitted request, charges what it consumed, and shapes its ConsumedCapacity. */
  private async runAndSettle(
    prepared: PreparedOperation,
    plan: AdmissionPlan,
    tables: ReadonlyMap<string, TableMeters>,
    reservation: Reservation,
    report: CapacityReport | undefined,
  ): Promise<Record<string, unknown>> {
    const writes: ObservedWrite[] = []
    const observeWrites =
      plan.kind === 'write'
        ? (table: { TableName: string }, before?: AttributeMap, after?: AttributeMap) => {
            writes.push({ tableName: table.TableName, before, after })
          }
        : undefined
    let response: Record<string, unknown>
    try {
      response = await this.engine.run(prepared, observeWrites ? { observeWrites } : {})
    } catch (error) {
      const consumed = await this.consumedByFailure(error, prepared, tables, reservation)
      this.settle(reservation, consumed, plan)
      throw error
    }

    const replayed = prepared.kind === 'transact-write' && prepared.transaction.remembered
    const consumption = consumptionFrom(response.ConsumedCapacity)
    const factor = prepared.kind === 'transact-write' ? 2 : 1
    for (const { tableName, before, after } of writes) {
      const meters = tables.get(tableName)
      if (!meters || (meters.globalIndexes.size === 0 && meters.localIndexes.size === 0)) continue
      const indexes = [...[...meters.globalIndexes.values()].map((index) => index.shape)]
      indexes.push(...meters.localIndexes.values())
      addIndexWrites(consumption, tableName, indexWriteUnits(indexes, before, after), factor)
    }
    const charges = replayed ? new Map() : meterCharges(consumption, plan.kind, tables)
    this.settle(reservation, charges, plan)

    const { ConsumedCapacity: _, ...rest } = response
    const shaped = reportedCapacity(consumption, report, Array.isArray(response.ConsumedCapacity))
    return shaped === undefined ? rest : { ...rest, ConsumedCapacity: shaped }
  }

  /**
   * What a request that failed after admission consumed: a failed conditional write costs the
   * item's write units (the new item's for a put, the existing one's otherwise; 1 if there was
   * none); a cancelled transaction its estimate (AWS charges cancelled transactions, by an amount
   * it does not document); anything else (a validation error found while running) nothing.
   */
  private async consumedByFailure(
    error: unknown,
    prepared: PreparedOperation,
    tables: ReadonlyMap<string, TableMeters>,
    reservation: Reservation,
  ): Promise<Map<Meter, number>> {
    const type = error instanceof DynamoDbServiceError ? error.type : ''
    if (type === 'TransactionCanceledException') return reservation
    if (type !== 'ConditionalCheckFailedException' || prepared.kind !== 'dynalite') return new Map()
    const { request, operation } = prepared
    const table = tables.get(String(request.TableName))
    if (!table) return new Map()
    const existing = await this.existingItem(table, request)
    const units = existing
      ? writeUnits(operation === 'PutItem' ? (request.Item as AttributeMap) : existing)
      : 1
    return new Map([[table.table.write, units]])
  }

  private existingItem(
    table: TableMeters,
    request: ValidatedRequest,
  ): Promise<AttributeMap | undefined> {
    const item = (request.Key ?? request.Item) as AttributeMap
    const key = dynaliteDb.createKey(item, table.description)
    return getItem(this.engine.store.getItemDb(table.name), key)
  }

  private refusals(unit: AdmissionUnit, kind: AccessKind): Refusal[] {
    if (!this.config.enforce) return []
    const nowMs = this.clock.nowMs()
    const refusals: Refusal[] = []
    for (const { meter, table, partition } of unit.demands) {
      const limiter = meter.limiter
      const limitType =
        limiter.refusal(nowMs) ??
        (partition !== undefined && !table.partitions.hasCapacity(partition, kind, nowMs)
          ? 'KeyRangeThroughputExceeded'
          : undefined)
      if (limitType === undefined) continue
      meter.throttledRequests += 1
      refusals.push({ resource: meter.resource, kind: meter.kind, mode: limiter.mode, limitType })
    }
    return refusals
  }

  private emptyReservation(): Reservation {
    return new Map()
  }

  private reserve(units: readonly AdmissionUnit[], kind: AccessKind): Reservation {
    const reservation = this.emptyReservation()
    for (const unit of units) this.reserveInto(reservation, unit, kind)
    return reservation
  }

  private reserveInto(reservation: Reservation, unit: AdmissionUnit, kind: AccessKind): void {
    const nowMs = this.clock.nowMs()
    for (const { meter, units, table, partition } of unit.demands) {
      meter.limiter.charge(units, nowMs)
      reservation.set(meter, (reservation.get(meter) ?? 0) + units)
      if (partition !== undefined) table.partitions.charge(partition, kind, units, nowMs)
    }
  }

  /**
   * Charges each meter the difference between what the request consumed and what was reserved,
   * and counts the consumption in the current second. A single-item or single-partition request
   * also settles its partition key's ceiling; batches and transactions keep their estimates there.
   */
  private settle(
    reservation: Reservation,
    consumed: ReadonlyMap<Meter, number>,
    plan: AdmissionPlan,
  ): void {
    const nowMs = this.clock.nowMs()
    this.metrics.advance(nowMs)
    for (const meter of new Set([...reservation.keys(), ...consumed.keys()])) {
      const actual = consumed.get(meter) ?? 0
      meter.limiter.charge(actual - (reservation.get(meter) ?? 0), nowMs)
      meter.consumedUnits += actual
    }
    const first = plan.shape === 'single' ? plan.unit.demands[0] : undefined
    if (first?.partition !== undefined) {
      const actual = consumed.get(first.meter) ?? 0
      first.table.partitions.charge(first.partition, plan.kind, actual - first.units, nowMs)
    }
  }

  private countRequest(
    units: readonly AdmissionUnit[],
    operation: string,
    outcome: 'admitted' | 'throttled',
  ): void {
    for (const tableName of new Set(units.map((unit) => unit.tableName))) {
      this.metrics.countRequest(tableName, operation, outcome)
    }
  }

  private async tables(names: readonly string[]): Promise<Map<string, TableMeters>> {
    const tables = new Map<string, TableMeters>()
    for (const name of names) {
      const meters = this.registry.cached(name) ?? (await this.registry.lookup(name))
      if (meters) tables.set(name, meters)
    }
    return tables
  }

  /** Auto scaling's change, applied through UpdateTable as Application Auto Scaling would. */
  private async applyScaling(action: ScalingAction): Promise<void> {
    const table = await this.registry.lookup(action.tableName)
    if (!table) return
    const meters =
      action.indexName === undefined ? table.table : table.globalIndexes.get(action.indexName)
    if (!meters) return
    const nowMs = this.clock.nowMs()
    const current = {
      read: meters.read.limiter.state(nowMs).limitUnitsPerSecond,
      write: meters.write.limiter.state(nowMs).limitUnitsPerSecond,
    }
    if (current[action.kind] === action.toUnits) return
    const throughput = {
      ReadCapacityUnits: action.kind === 'read' ? action.toUnits : current.read,
      WriteCapacityUnits: action.kind === 'write' ? action.toUnits : current.write,
    }
    const update =
      action.indexName === undefined
        ? { ProvisionedThroughput: throughput }
        : {
            GlobalSecondaryIndexUpdates: [
              { Update: { IndexName: action.indexName, ProvisionedThroughput: throughput } },
            ],
          }
    await this.controlPlane.handle('UpdateTable', { TableName: action.tableName, ...update })
    await this.registry.refreshChanging()
  }
}

/**
 * The request as it goes to dynalite: asking for ConsumedCapacity by index, so the governor can
 * charge every bucket. A value outside NONE/TOTAL/INDEXES is left alone for validation to reject.
 */
function askForIndexes(body: unknown): { report: CapacityReport | undefined; forwarded: unknown } {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) {
    return { report: undefined, forwarded: body }
  }
  const requested = (body as Record<string, unknown>).ReturnConsumedCapacity
  if (requested != null && !(CAPACITY_REPORTS as readonly unknown[]).includes(requested)) {
    return { report: undefined, forwarded: body }
  }
  return {
    report: (requested ?? undefined) as CapacityReport | undefined,
    forwarded: { ...body, ReturnConsumedCapacity: 'INDEXES' },
  }
}
