import type { CloudConfig } from '../local/settings.js'
import { CloudConfigError, resolveCloudSettings } from '../local/settings.js'
import { type CapacitySpec, parseCapacitySpec } from '../store/capacity.js'
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
    variants.push({
      name,
      ...(description === undefined ? {} : { description }),
      settings: { ...settings, cloud: cloud ?? experiment.defaults.cloud },
      capacity: parseCapacitySpec(settings.capacity),
      cloudLayers,
    })
  }
  if (problems.length > 0) throw new ExperimentFileError(source, problems)
  return variants
}

function definedOnly<T extends object>(value: T): Partial<T> {
  return Object.fromEntries(
    Object.entries(value).filter(([, entry]) => entry !== undefined),
  ) as Partial<T>
}
