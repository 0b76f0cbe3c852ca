import type { AdmissionPlan, AdmissionUnit } from './demand.js'
import type { Meter } from './meters.js'
import type { AccessKind } from './partitions.js'
import type { Refusal } from './throttle-errors.js'

/** Units set aside per meter when a request was admitted, settled against what it consumed. */
export type Reservation = Map<Meter, number>

/** Why the unit cannot run now: each meter out of capacity, or each partition key at its ceiling. */
export function refusalsOf(unit: AdmissionUnit, kind: AccessKind, nowMs: number): Refusal[] {
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

/** Charges the unit's estimates now, so requests admitted meanwhile see them spent. */
export function reserve(
  reservation: Reservation,
  unit: AdmissionUnit,
  kind: AccessKind,
  nowMs: number,
): void {
  for (const { meter, units, table, partition } of unit.demands) {
    meter.limiter.charge(units, nowMs)
    reservation.set(meter, (reservation.get(meter) ?? 0) + units)
    if (partition !== undefined) table.partitions.charge(partition, kind, units, nowMs)
  }
}

/**
 * Charges each meter the difference between what the request consumed and what was reserved,
 * and counts the consumption in the second under way. A single-item or single-partition request
 * also settles its partition key's ceiling; batches and transactions keep their estimates there.
 */
export function settle(
  reservation: Reservation,
  consumed: ReadonlyMap<Meter, number>,
  plan: AdmissionPlan,
  nowMs: number,
): void {
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
