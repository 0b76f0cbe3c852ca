import type { ApiRouteId, RouteDefinition } from '../api/routes.js'
import type { CapacitySpec } from '../store/capacity.js'
import type { StoreProfile } from '../store/profile.js'
import { DEFAULT_TIMEOUT_SECONDS, functionsOf, type Topology } from './topologies.js'

/**
 * Write units one request of each writing route costs, on the table and on its index, for A+
 * items (all under 1 KB). Enrollment is one transaction of three items at twice the units; a
 * course and a grade also write the index entry the catalogue and the transcript read.
 */
export const ROUTE_WRITE_UNITS: Readonly<
  Partial<Record<ApiRouteId, { table: number; index: number }>>
> = {
  createStudent: { table: 1, index: 0 },
  createCourse: { table: 1, index: 1 },
  enrollStudent: { table: 6, index: 0 },
  recordGrade: { table: 1, index: 1 },
}

/**
 * Reserved concurrency for the writing functions of a topology, derived from the table's write
 * capacity, so that the functions together cannot keep more writes in flight than DynamoDB
 * absorbs while a request may still wait for it (the data layer's retry budget):
 *
 *   reserved(f) = max(1, floor(min over table and index of
 *                              units per second × budget seconds × share(f) / units per request of f))
 *
 * share(f) is f's part of the write units the traffic asks for: its routes' weights (requests
 * per unit of time, e.g. from the workload mix or from observed traffic) times their units per
 * request, over the same for every writing route; without weights, every writing route is taken
 * to be asked equally often. A request beyond the reservation is refused by Lambda before any work is done.
 * Functions that only read get no reservation; on-demand capacity derives none (it grows).
 *
 * A monolith has one function for reads and writes alike: its reservation caps its reads too.
 * Only a split lets writes be admitted apart from reads.
 */
export function derivedReservedConcurrency(
  topology: Topology,
  capacity: CapacitySpec,
  budgetSeconds: number,
  routeWeights?: Readonly<Partial<Record<ApiRouteId, number>>>,
): Record<string, number> {
  if (capacity.mode !== 'provisioned') return {}
  const writers = functionsOf(topology)
    .map((fn) => ({
      name: fn.name,
      routes: fn.routes.filter((route) => ROUTE_WRITE_UNITS[route.id as ApiRouteId]),
    }))
    .filter((fn) => fn.routes.length > 0)
  const weightOf = (route: RouteDefinition) =>
    routeWeights ? (routeWeights[route.id as ApiRouteId] ?? 0) : 1
  const demand = (routes: readonly RouteDefinition[], resource: 'table' | 'index') =>
    routes.reduce(
      (sum, route) =>
        sum + weightOf(route) * (ROUTE_WRITE_UNITS[route.id as ApiRouteId]?.[resource] ?? 0),
      0,
    )
  const reservations: Record<string, number> = {}
  for (const { name, routes } of writers) {
    const limits = (['table', 'index'] as const).map((resource) => {
      const total = writers.reduce((sum, writer) => sum + demand(writer.routes, resource), 0)
      const own = demand(routes, resource)
      if (own === 0) return Number.POSITIVE_INFINITY
      const unitsPerSecond =
        resource === 'table' ? capacity.table.writeUnits : capacity.index.writeUnits
      // Units in flight allowed for f over the units one of its requests costs (weighted mean).
      const unitsPerRequest = own / routes.reduce((sum, route) => sum + weightOf(route), 0)
      return (unitsPerSecond * budgetSeconds * (own / total)) / unitsPerRequest
    })
    reservations[name] = Math.max(1, Math.floor(Math.min(...limits)))
  }
  return reservations
}

/**
 * How long a request may wait for capacity with a data-layer profile: its retry budget, or for a
 * profile without one the function's timeout. The window admission control sizes in-flight
 * writes by.
 */
export function admissionWindowSeconds(profile: StoreProfile): number {
  const budgetMs = profile.client.backoffRetry?.budgetMs
  return budgetMs === undefined ? DEFAULT_TIMEOUT_SECONDS : budgetMs / 1000
}
