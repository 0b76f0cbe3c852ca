import type { GovernorConfig } from './config.js'
import { TokenBucket } from './token-bucket.js'

export type AccessKind = 'read' | 'write'

/**
 * The per-partition ceiling (3,000 RCU and 1,000 WCU per second) applied per partition key value.
 *
 * A simplification of adaptive capacity: AWS splits hot items into their own partitions, so the
 * hardest limit a single key meets is one partition's maximum, whatever the table's capacity. The
 * table's own limit is enforced separately by its bucket. Keys are tracked only while they have
 * spent part of their second's allowance; a full bucket is forgotten at the next sweep.
 */
export class PartitionCeilings {
  private readonly buckets = new Map<string, TokenBucket>()

  constructor(private readonly settings: GovernorConfig['partitionCeiling']) {}

  /** True when the partition key (of the table, or of an index when named) can take a request. */
  hasCapacity(partition: string, kind: AccessKind, nowMs: number): boolean {
    if (!this.settings.enabled) return true
    return this.buckets.get(bucketKey(partition, kind))?.hasCapacity(nowMs) ?? true
  }

  charge(partition: string, kind: AccessKind, units: number, nowMs: number): void {
    if (!this.settings.enabled || units === 0) return
    const key = bucketKey(partition, kind)
    let bucket = this.buckets.get(key)
    if (!bucket) {
      const rate =
        kind === 'read' ? this.settings.readUnitsPerSecond : this.settings.writeUnitsPerSecond
      bucket = new TokenBucket(rate, rate, rate, nowMs)
      this.buckets.set(key, bucket)
    }
    bucket.take(units, nowMs)
  }

  /** Forgets every hot key, as if none had been seen. */
  reset(): void {
    this.buckets.clear()
  }

  /** Forgets keys whose bucket has refilled: they behave exactly like keys never seen. */
  sweep(nowMs: number): void {
    for (const [key, bucket] of this.buckets) {
      if (bucket.balanceUnits(nowMs) >= bucket.capacityUnits) this.buckets.delete(key)
    }
  }

  get trackedKeys(): number {
    return this.buckets.size
  }
}

const bucketKey = (partition: string, kind: AccessKind) => `${kind}\u0000${partition}`
