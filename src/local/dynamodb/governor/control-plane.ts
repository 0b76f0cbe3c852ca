import type { DynamoDbEngine } from '../engine.js'
import { validationError } from '../errors.js'
import type { OnDemandMax } from './meters.js'
import type { CapacityRegistry } from './registry.js'

type Body = Record<string, unknown>

const CONTROL_PLANE_OPERATIONS = new Set([
  'CreateTable',
  'UpdateTable',
  'DeleteTable',
  'DescribeTable',
])

/** On the wire, -1 removes an on-demand maximum. */
const NO_MAXIMUM = -1

interface MaximaRequest {
  table: OnDemandMax | undefined
  indexes: Map<string, OnDemandMax>
}

/**
 * Table operations as the governor needs them: it learns every capacity change (so tables created
 * by any client get the capacity they declare), and it keeps OnDemandThroughput (maximum request
 * units per table and per index), which dynalite does not know: read from CreateTable and
 * UpdateTable, reported back in table descriptions, enforced by the on-demand limiters.
 */
export class ControlPlane {
  constructor(
    private readonly engine: DynamoDbEngine,
    private readonly registry: CapacityRegistry,
  ) {}

  handles(operation: string): boolean {
    return CONTROL_PLANE_OPERATIONS.has(operation)
  }

  async handle(operation: string, body: unknown): Promise<Body> {
    if (!isRecord(body)) return this.engine.execute(operation, body)
    switch (operation) {
      case 'CreateTable':
        return this.createTable(body)
      case 'UpdateTable':
        return this.updateTable(body)
      case 'DeleteTable': {
        const response = await this.engine.execute(operation, body)
        this.registry.remove(String(body.TableName))
        await this.registry.saveMaxima(String(body.TableName))
        return response
      }
      default: {
        const response = await this.engine.execute(operation, body)
        // A client waiting for ACTIVE after a change makes the new capacity apply at once.
        await this.registry.lookup(String(body.TableName))
        this.describeMaxima(response.Table)
        return response
      }
    }
  }

  private async createTable(body: Body): Promise<Body> {
    const maxima = readMaxima(body.OnDemandThroughput, body.GlobalSecondaryIndexes, 'CreateTable')
    // dynalite goes on changing the description it answered with (CREATING, then ACTIVE): copy it.
    const response = structuredClone(await this.engine.execute('CreateTable', body))
    const tableName = String(body.TableName)
    this.registry.remove(tableName)
    await this.storeMaxima(tableName, maxima)
    this.registry.markChanged(tableName)
    await this.registry.lookup(tableName)
    this.describeMaxima(response.TableDescription)
    return response
  }

  private async updateTable(body: Body): Promise<Body> {
    const { OnDemandThroughput, GlobalSecondaryIndexUpdates, ...rest } = body
    const indexUpdates = Array.isArray(GlobalSecondaryIndexUpdates)
      ? GlobalSecondaryIndexUpdates
      : []
    const updatedIndexes = indexUpdates.map((update) =>
      isRecord(update) ? update.Update : undefined,
    )
    const maxima = readMaxima(OnDemandThroughput, updatedIndexes, 'UpdateTable')

    const forwarded: Body = { ...rest }
    if (Array.isArray(GlobalSecondaryIndexUpdates)) {
      // dynalite requires ProvisionedThroughput in an index Update: updates that only set a
      // maximum are the governor's alone.
      const kept = indexUpdates.map(withoutIndexMaximum).filter((update) => update !== undefined)
      if (kept.length > 0 || maxima.indexes.size === 0) forwarded.GlobalSecondaryIndexUpdates = kept
    } else if (GlobalSecondaryIndexUpdates !== undefined) {
      forwarded.GlobalSecondaryIndexUpdates = GlobalSecondaryIndexUpdates
    }
    const onlyMaxima =
      (maxima.table !== undefined || maxima.indexes.size > 0) &&
      Object.entries(forwarded).every(([key, value]) => key === 'TableName' || value == null)

    const tableName = String(body.TableName)
    let response: Body
    if (onlyMaxima) {
      const described = await this.engine.execute('DescribeTable', { TableName: body.TableName })
      response = { TableDescription: described.Table }
    } else {
      response = structuredClone(await this.engine.execute('UpdateTable', forwarded))
    }
    await this.storeMaxima(tableName, maxima)
    this.registry.markChanged(tableName)
    await this.registry.lookup(tableName)
    this.describeMaxima(response.TableDescription)
    return response
  }

  private async storeMaxima(tableName: string, maxima: MaximaRequest): Promise<void> {
    if (maxima.table) this.registry.setOnDemandMax(tableName, undefined, maxima.table)
    for (const [indexName, max] of maxima.indexes) {
      this.registry.setOnDemandMax(tableName, indexName, max)
    }
    await this.registry.saveMaxima(tableName)
  }

  /** Adds OnDemandThroughput to a table description (and its indexes) where a maximum is set. */
  private describeMaxima(description: unknown): void {
    if (!isRecord(description) || typeof description.TableName !== 'string') return
    const tableName = description.TableName
    const wire = (max: OnDemandMax) => ({
      MaxReadRequestUnits: max.read ?? NO_MAXIMUM,
      MaxWriteRequestUnits: max.write ?? NO_MAXIMUM,
    })
    const tableMax = this.registry.onDemandMax(tableName, undefined)
    if (tableMax.read !== undefined || tableMax.write !== undefined) {
      description.OnDemandThroughput = wire(tableMax)
    }
    const indexes = Array.isArray(description.GlobalSecondaryIndexes)
      ? description.GlobalSecondaryIndexes
      : []
    for (const index of indexes) {
      if (!isRecord(index) || typeof index.IndexName !== 'string') continue
      const max = this.registry.onDemandMax(tableName, index.IndexName)
      if (max.read !== undefined || max.write !== undefined) index.OnDemandThroughput = wire(max)
    }
  }
}

function readMaxima(tableValue: unknown, indexes: unknown, operation: string): MaximaRequest {
  const indexMaxima = new Map<string, OnDemandMax>()
  for (const [position, index] of (Array.isArray(indexes) ? indexes : []).entries()) {
    if (!isRecord(index) || index.OnDemandThroughput == null) continue
    const field = `${operation === 'CreateTable' ? 'globalSecondaryIndexes' : 'globalSecondaryIndexUpdates'}.${position + 1}.member.onDemandThroughput`
    indexMaxima.set(String(index.IndexName), parseMaximum(index.OnDemandThroughput, field))
  }
  return {
    table: tableValue == null ? undefined : parseMaximum(tableValue, 'onDemandThroughput'),
    indexes: indexMaxima,
  }
}

function parseMaximum(value: unknown, field: string): OnDemandMax {
  if (!isRecord(value)) {
    throw validationError(
      `1 validation error detected: Value '${JSON.stringify(value)}' at '${field}' failed to satisfy constraint: Member must be a structure`,
    )
  }
  const units = (member: string): number | undefined => {
    const raw = value[member]
    if (raw == null || raw === NO_MAXIMUM) return undefined
    if (typeof raw !== 'number' || !Number.isSafeInteger(raw) || raw < 1) {
      throw validationError(
        `1 validation error detected: Value '${String(raw)}' at '${field}.${member.charAt(0).toLowerCase()}${member.slice(1)}' failed to satisfy constraint: Member must be -1 or a whole number of at least 1`,
      )
    }
    return raw
  }
  // A member left out keeps its current maximum; -1 removes it (an own key set to undefined).
  const max: OnDemandMax = {}
  if (value.MaxReadRequestUnits != null) max.read = units('MaxReadRequestUnits')
  if (value.MaxWriteRequestUnits != null) max.write = units('MaxWriteRequestUnits')
  return max
}

function withoutIndexMaximum(update: unknown): unknown {
  if (!isRecord(update) || !isRecord(update.Update)) return update
  const { OnDemandThroughput, ...rest } = update.Update
  if (OnDemandThroughput == null) return update
  return rest.ProvisionedThroughput == null ? undefined : { ...update, Update: rest }
}

function isRecord(value: unknown): value is Body {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
}
