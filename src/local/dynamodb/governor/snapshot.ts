import type { ScalingAction } from './auto-scaling.js'
import type { CapacityMode, LimiterState } from './limiters.js'
import type { ResourceMeters, TableMeters } from './meters.js'

/** Every table's and index's capacity at one moment, and the changes auto scaling made. */
export interface GovernorSnapshot {
  atMs: number
  tables: {
    tableName: string
    mode: CapacityMode
    resources: { indexName?: string; arn: string; read: LimiterState; write: LimiterState }[]
  }[]
  scalingActions: ScalingAction[]
}

export function snapshotOf(
  tables: Iterable<TableMeters>,
  scalingActions: readonly ScalingAction[],
  nowMs: number,
): GovernorSnapshot {
  const resource = (indexName: string | undefined, meters: ResourceMeters) => ({
    ...(indexName === undefined ? {} : { indexName }),
    arn: meters.ref.arn,
    read: meters.read.limiter.state(nowMs),
    write: meters.write.limiter.state(nowMs),
  })
  return {
    atMs: nowMs,
    tables: [...tables].map((table) => ({
      tableName: table.name,
      mode: table.mode,
      resources: [
        resource(undefined, table.table),
        ...[...table.globalIndexes].map(([name, meters]) => resource(name, meters)),
      ],
    })),
    scalingActions: [...scalingActions],
  }
}
