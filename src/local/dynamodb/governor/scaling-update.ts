import type { ScalingAction } from './auto-scaling.js'
import type { Clock } from './clock.js'
import type { ControlPlane } from './control-plane.js'
import type { CapacityRegistry } from './registry.js'

/**
 * Applies auto scaling's change through UpdateTable, as Application Auto Scaling does, so
 * DescribeTable shows it and the registry picks it up like any other capacity change. The other
 * kind of units (reads when writes change) keeps its current value.
 */
export async function applyScaling(
  action: ScalingAction,
  registry: CapacityRegistry,
  controlPlane: ControlPlane,
  clock: Clock,
): Promise<void> {
  const table = await registry.lookup(action.tableName)
  const meters =
    action.indexName === undefined ? table?.table : table?.globalIndexes.get(action.indexName)
  if (!meters) return
  const nowMs = clock.nowMs()
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
  await controlPlane.handle('UpdateTable', { TableName: action.tableName, ...update })
  await registry.refreshChanging()
}
