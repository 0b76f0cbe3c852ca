import { type CostBreakdown, estimateCost } from './cost.js'
import type { VariantSummary } from './results.js'
import type { Variant } from './variants.js'

/**
 * The run's cost at AWS list prices. Provisioned capacity is charged for the load's duration
 * (what holding it costs, used or not); on-demand for the units the run consumed.
 */
export function costOf(
  variant: Variant,
  summary: VariantSummary,
  durationSeconds: number,
): CostBreakdown {
  const { capacity } = variant
  const consumed = (pick: (resource: VariantSummary['resources'][number]) => number) =>
    summary.resources.reduce((total, resource) => total + pick(resource), 0)
  const apiKind = variant.cloudLayers.some((layer) => layer.gateway?.api === 'rest')
    ? 'rest'
    : 'http'
  return estimateCost({
    apiRequests: summary.requests,
    apiKind,
    lambdaInvocations: summary.functions.reduce((total, fn) => total + fn.invocations, 0),
    lambdaGbSeconds: summary.functions.reduce((total, fn) => total + fn.billedGbSeconds, 0),
    durationSeconds,
    capacity:
      capacity.mode === 'on-demand'
        ? {
            mode: 'on-demand',
            readRequestUnits: consumed((resource) => resource.consumedReadUnits),
            writeRequestUnits: consumed((resource) => resource.consumedWriteUnits),
          }
        : {
            mode: 'provisioned',
            readUnits: consumed((resource) => resource.provisionedReadUnits),
            writeUnits: consumed((resource) => resource.provisionedWriteUnits),
          },
  })
}
