import type { AttributeMap } from '../dynalite.js'
import type { DynamoDbEngine, PreparedOperation } from '../engine.js'
import type { OperationHandler } from '../server.js'
import { type Reservation, refusalsOf, reserve, settle } from './admission.js'
import { AutoScaler } from './auto-scaling.js'
import { mergeUnprocessed, splitBatch } from './batch.js'
import { type Clock, systemClock } from './clock.js'
import {
  type GovernorConfig,
  type GovernorConfigInput,
  resolveGovernorConfig,
  type StartingBalance,
} from './config.js'
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
import { consumedByFailure } from './failure-cost.js'
import { indexWriteUnits } from './index-writes.js'
import type { Meter, TableMeters } from './meters.js'
import { MetricsTimeline } from './metrics.js'
import type { AccessKind } from './partitions.js'
import { CapacityRegistry } from './registry.js'
import { applyScaling } from './scaling-update.js'
import { type GovernorSnapshot, snapshotOf } from './snapshot.js'
import { type Refusal, throttlingError, transactionThrottledError } from './throttle-errors.js'

export type { GovernorSnapshot }

export interface CapacityGovernorOptions {
  engine: DynamoDbEngine
  config?: GovernorConfigInput
  clock?: Clock
  /** Told of failures in background work (auto scaling's UpdateTable). */
  onError?: (error: unknown) => void
}

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
  /** Starts as the config says; a run that loads data first turns it on when measuring starts. */
  private enforcing: boolean

  constructor(options: CapacityGovernorOptions) {
    this.engine = options.engine
    this.config = resolveGovernorConfig(options.config)
    this.clock = options.clock ?? systemClock
    this.enforcing = this.config.enforce
    this.registry = new CapacityRegistry(this.engine.store, this.config, this.clock)
    this.controlPlane = new ControlPlane(this.engine, this.registry)
    this.metrics = new MetricsTimeline(
      () => this.registry.all(),
      this.config.metrics.historySeconds,
      this.clock.nowMs(),
    )
    this.autoScaler = new AutoScaler(
      this.config.autoScaling,
      (action) => applyScaling(action, this.registry, this.controlPlane, this.clock),
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

  /**
   * Starts a measured run on tables that already hold data: from now on capacity is enforced,
   * and every table's and index's burst balance is set as `startingBalance` says, whatever the
   * loading of the data did to it. Hot-key history is forgotten too.
   */
  startMeasuredRun(startingBalance: StartingBalance): void {
    const nowMs = this.clock.nowMs()
    for (const table of this.registry.all()) {
      for (const resource of [table.table, ...table.globalIndexes.values()]) {
        resource.read.limiter.resetBalance(startingBalance, nowMs)
        resource.write.limiter.resetBalance(startingBalance, nowMs)
      }
      table.partitions.reset()
    }
    this.enforcing = true
  }

  /** Ends a measured run: requests are admitted again (and still measured), as while loading. */
  endMeasuredRun(): void {
    this.enforcing = false
  }

  /** Every table's and index's capacity right now, and the changes auto scaling made. */
  snapshot(): GovernorSnapshot {
    return snapshotOf(this.registry.all(), this.autoScaler.actions, this.clock.nowMs())
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
    const reservation: Reservation = new Map()
    for (const unit of units) reserve(reservation, unit, plan.kind, this.clock.nowMs())
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
    const reservation: Reservation = new Map()
    for (const unit of plan.units) {
      // Items are admitted one by one, each reserving its units, so a batch takes what is left.
      const refusals = this.refusals(unit, plan.kind)
      if (refusals.length > 0) {
        refused.push(...refusals)
        continue
      }
      reserve(reservation, unit, plan.kind, this.clock.nowMs())
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
      const consumed = await consumedByFailure(
        error,
        prepared,
        tables,
        reservation,
        this.engine.store,
      )
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

  private refusals(unit: AdmissionUnit, kind: AccessKind): Refusal[] {
    return this.enforcing ? refusalsOf(unit, kind, this.clock.nowMs()) : []
  }

  private settle(
    reservation: Reservation,
    consumed: ReadonlyMap<Meter, number>,
    plan: AdmissionPlan,
  ): void {
    const nowMs = this.clock.nowMs()
    this.metrics.advance(nowMs)
    settle(reservation, consumed, plan, nowMs)
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
