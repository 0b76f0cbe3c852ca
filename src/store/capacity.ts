/**
 * How a table pays for throughput, as a value the local cloud, the experiment and the CDK app
 * share. Written on the command line as, for example:
 *
 *   provisioned:25/25                      table and index each 25 RCU / 25 WCU
 *   provisioned:25/25,index=10/10          the index gets its own units
 *   provisioned:25/25,autoscale=400/400,target=70
 *                                          target tracking up to 400/400 at 70% utilization
 *   on-demand                              pay per request
 *   on-demand,max=100/100                  with MaxReadRequestUnits / MaxWriteRequestUnits
 */

export interface Throughput {
  readUnits: number
  writeUnits: number
}

export interface AutoScaling {
  /** Upper bound auto scaling may raise capacity to; the provisioned units are the lower bound. */
  max: Throughput
  /** Target consumed/provisioned utilization, 20–90 as AWS allows. */
  targetUtilizationPercent: number
}

export type CapacitySpec =
  | {
      mode: 'provisioned'
      table: Throughput
      index: Throughput
      autoScaling?: AutoScaling
    }
  | {
      mode: 'on-demand'
      /** MaxReadRequestUnits / MaxWriteRequestUnits; absent means no cap. */
      max?: Throughput
    }

/** The seed's table: the always-free 25 RCU / 25 WCU, and the same for its index. */
export const DEFAULT_CAPACITY: CapacitySpec = {
  mode: 'provisioned',
  table: { readUnits: 25, writeUnits: 25 },
  index: { readUnits: 25, writeUnits: 25 },
}

/** AWS's bound on auto scaling's target utilization. */
const TARGET_PERCENT_RANGE = { min: 20, max: 90 }
/** Auto scaling's target when none is given: the console's default. */
const DEFAULT_TARGET_PERCENT = 70

export class CapacitySpecError extends Error {
  override readonly name = 'CapacitySpecError'
}

/** Parses the written form above; every mistake is a CapacitySpecError naming the bad part. */
export function parseCapacitySpec(text: string): CapacitySpec {
  const [head = '', ...options] = text.trim().split(',')
  const [mode, units] = head.split(':')
  const settings = parseOptions(options, text)
  if (mode === 'on-demand') {
    if (units !== undefined) throw new CapacitySpecError(`on-demand takes no units, got '${text}'`)
    rejectUnknown(settings, ['max'], text)
    const max = settings.get('max')
    return max === undefined ? { mode } : { mode, max: parseThroughput(max, 'max') }
  }
  if (mode === 'provisioned') {
    if (units === undefined) {
      throw new CapacitySpecError(`provisioned needs units like provisioned:25/25, got '${text}'`)
    }
    rejectUnknown(settings, ['index', 'autoscale', 'target'], text)
    const table = parseThroughput(units, 'provisioned')
    const index = settings.has('index')
      ? parseThroughput(settings.get('index') ?? '', 'index')
      : table
    return { mode, table, index, ...parseAutoScaling(settings, table, index) }
  }
  throw new CapacitySpecError(
    `capacity mode must be 'provisioned' or 'on-demand', got '${mode ?? ''}' in '${text}'`,
  )
}

/** The written form of a spec; parseCapacitySpec(formatCapacitySpec(spec)) gives spec back. */
export function formatCapacitySpec(spec: CapacitySpec): string {
  const units = (throughput: Throughput) => `${throughput.readUnits}/${throughput.writeUnits}`
  if (spec.mode === 'on-demand') return spec.max ? `on-demand,max=${units(spec.max)}` : 'on-demand'
  const parts = [`provisioned:${units(spec.table)}`]
  if (units(spec.index) !== units(spec.table)) parts.push(`index=${units(spec.index)}`)
  if (spec.autoScaling) {
    parts.push(`autoscale=${units(spec.autoScaling.max)}`)
    parts.push(`target=${spec.autoScaling.targetUtilizationPercent}`)
  }
  return parts.join(',')
}

function parseAutoScaling(
  settings: ReadonlyMap<string, string>,
  table: Throughput,
  index: Throughput,
): { autoScaling?: AutoScaling } {
  const max = settings.get('autoscale')
  const target = settings.get('target')
  if (max === undefined) {
    if (target !== undefined) throw new CapacitySpecError('target= needs autoscale=MAX_R/MAX_W')
    return {}
  }
  const maxThroughput = parseThroughput(max, 'autoscale')
  // The provisioned units are auto scaling's minimum, for the table and the index alike.
  for (const [part, units] of [
    ['table', table],
    ['index', index],
  ] as const) {
    if (maxThroughput.readUnits < units.readUnits || maxThroughput.writeUnits < units.writeUnits) {
      throw new CapacitySpecError(
        `autoscale maximum ${max} is below the ${part}'s provisioned units ${units.readUnits}/${units.writeUnits}`,
      )
    }
  }
  const percent = target === undefined ? DEFAULT_TARGET_PERCENT : Number(target)
  if (
    !Number.isInteger(percent) ||
    percent < TARGET_PERCENT_RANGE.min ||
    percent > TARGET_PERCENT_RANGE.max
  ) {
    throw new CapacitySpecError(
      `target must be a whole percentage from ${TARGET_PERCENT_RANGE.min} to ${TARGET_PERCENT_RANGE.max}, got '${target}'`,
    )
  }
  return { autoScaling: { max: maxThroughput, targetUtilizationPercent: percent } }
}

function parseThroughput(text: string, part: string): Throughput {
  const match = /^(\d+)\/(\d+)$/.exec(text)
  const readUnits = Number(match?.[1])
  const writeUnits = Number(match?.[2])
  if (!match || readUnits < 1 || writeUnits < 1 || !Number.isSafeInteger(readUnits + writeUnits)) {
    throw new CapacitySpecError(
      `${part} units must be READ/WRITE whole numbers of at least 1 (e.g. 25/25), got '${text}'`,
    )
  }
  return { readUnits, writeUnits }
}

function parseOptions(options: readonly string[], text: string): Map<string, string> {
  const settings = new Map<string, string>()
  for (const option of options) {
    const [name, value] = option.split('=')
    if (!name || value === undefined) {
      throw new CapacitySpecError(`expected name=value after ',', got '${option}' in '${text}'`)
    }
    settings.set(name, value)
  }
  return settings
}

function rejectUnknown(
  settings: ReadonlyMap<string, string>,
  known: readonly string[],
  text: string,
) {
  for (const name of settings.keys()) {
    if (!known.includes(name)) {
      throw new CapacitySpecError(
        `unknown capacity option '${name}' in '${text}'; known: ${known.join(', ')}`,
      )
    }
  }
}
