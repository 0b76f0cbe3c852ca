import { API_ROUTES, type ApiRouteId, routeKey } from '../api/routes.js'
import { REQUEST_KINDS } from '../loadtest/index.js'
import type { CloudConfig } from '../local/settings.js'
import { CloudConfigError, resolveCloudSettings } from '../local/settings.js'
import { type CapacitySpec, parseCapacitySpec } from '../store/capacity.js'
import { storeProfile } from '../store/profile.js'
import { admissionWindowSeconds, derivedReservedConcurrency } from '../topology/admission.js'
import { type Experiment, ExperimentFileError, type VariantSettings } from './definition.js'

/** One variant, its settings resolved over the experiment's defaults. */
export interface Variant {
  name: string
  description?: string
  settings: VariantSettings
  capacity: CapacitySpec
  /** The local cloud's settings layers: the defaults' then the variant's own. */
  cloudLayers: CloudConfig[]
}

export interface VariantSelection {
  /** The shortened matrix the file names under `quick`. */
  quick?: boolean
  /** Only these variants, by name (after `quick`). */
  only?: readonly string[]
}

/**
 * The variants to run, each checked before any of them starts, so a mistake in the last one
 * does not surface after minutes of running the first.
 */
export function resolveVariants(
  experiment: Experiment,
  source: string,
  selection: VariantSelection = {},
): Variant[] {
  const problems: { path: string; message: string }[] = []
  const quickNames = selection.quick ? new Set(experiment.quick?.variants ?? []) : undefined
  if (selection.quick && !experiment.quick) {
    problems.push({ path: '$.quick', message: 'the file defines no quick matrix' })
  }
  const known = experiment.variants.map((variant) => variant.name)
  for (const name of selection.only ?? []) {
    if (!known.includes(name)) {
      problems.push({
        path: '$.variants',
        message: `no variant is named '${name}'; variants: ${known.join(', ')}`,
      })
    }
  }
  const variants: Variant[] = []
  for (const [index, entry] of experiment.variants.entries()) {
    if (quickNames && !quickNames.has(entry.name)) continue
    if (selection.only && !selection.only.includes(entry.name)) continue
    const { name, description, cloud, ...overrides } = entry
    const settings: VariantSettings = { ...experiment.defaults, ...definedOnly(overrides) }
    const cloudLayers = [experiment.defaults.cloud, ...(cloud ? [cloud] : [])]
    try {
      resolveCloudSettings(settings.topology, ...cloudLayers)
    } catch (error) {
      if (!(error instanceof CloudConfigError)) throw error
      problems.push({ path: `$.variants[${index}].cloud`, message: `${name}: ${error.message}` })
      continue
    }
    const capacity = parseCapacitySpec(settings.capacity)
    variants.push({
      name,
      ...(description === undefined ? {} : { description }),
      settings: { ...settings, cloud: cloud ?? experiment.defaults.cloud },
      capacity,
      cloudLayers: [
        ...cloudLayers,
        ...admissionLayer(settings, capacity, routeWeightsOf(experiment)),
      ],
    })
  }
  if (problems.length > 0) throw new ExperimentFileError(source, problems)
  return variants
}

/** The reserved concurrency of derived admission control, as one more settings layer. */
function admissionLayer(
  settings: VariantSettings,
  capacity: CapacitySpec,
  routeWeights: Partial<Record<ApiRouteId, number>>,
): CloudConfig[] {
  if (settings.admission !== 'derived') return []
  const reserved = derivedReservedConcurrency(
    settings.topology,
    capacity,
    admissionWindowSeconds(storeProfile(settings.storeProfile)),
    routeWeights,
  )
  const functions = Object.fromEntries(
    Object.entries(reserved).map(([name, reservedConcurrency]) => [name, { reservedConcurrency }]),
  )
  return [{ lambda: { functions } }]
}

/** How often the workload asks each route, from its mix: the shares admission control uses. */
function routeWeightsOf(experiment: Experiment): Partial<Record<ApiRouteId, number>> {
  const weights: Partial<Record<ApiRouteId, number>> = {}
  for (const { request, weight } of experiment.workload.mix) {
    const route = API_ROUTES.find((candidate) => routeKey(candidate) === REQUEST_KINDS[request])
    if (route) weights[route.id] = (weights[route.id] ?? 0) + weight
  }
  return weights
}

function definedOnly<T extends object>(value: T): Partial<T> {
  return Object.fromEntries(
    Object.entries(value).filter(([, entry]) => entry !== undefined),
  ) as Partial<T>
}
