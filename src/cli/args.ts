import { type ParseArgsConfig, parseArgs } from 'node:util'
import { UsageError } from './command.js'

type Options = NonNullable<ParseArgsConfig['options']>

/**
 * Parses flags strictly: an unknown flag or a missing value is a UsageError that names it, so
 * every subcommand reports bad flags the same way.
 */
export function parseFlags<T extends Options>(argv: readonly string[], options: T) {
  try {
    return parseArgs({ args: [...argv], options, strict: true, allowPositionals: true })
  } catch (error) {
    throw new UsageError(error instanceof Error ? error.message : String(error))
  }
}

/** Reads a whole number flag within bounds, or throws a UsageError naming the flag. */
export function integerFlag(
  name: string,
  value: string | undefined,
  fallback: number,
  bounds: { min?: number; max?: number } = {},
): number {
  if (value === undefined) return fallback
  const parsed = Number(value)
  const min = bounds.min ?? Number.MIN_SAFE_INTEGER
  const max = bounds.max ?? Number.MAX_SAFE_INTEGER
  if (!/^-?\d+$/.test(value.trim()) || parsed < min || parsed > max) {
    throw new UsageError(
      `option --${name} must be a whole number from ${min} to ${max}, got '${value}'`,
    )
  }
  return parsed
}

/** Reads a number flag (decimals allowed) within bounds, or throws a UsageError naming the flag. */
export function numberFlag(
  name: string,
  value: string | undefined,
  fallback: number,
  bounds: { min?: number; max?: number } = {},
): number {
  if (value === undefined) return fallback
  const parsed = Number(value)
  const min = bounds.min ?? -Infinity
  const max = bounds.max ?? Infinity
  if (value.trim() === '' || !Number.isFinite(parsed) || parsed < min || parsed > max) {
    throw new UsageError(`option --${name} must be a number from ${min} to ${max}, got '${value}'`)
  }
  return parsed
}

/** Reads a flag that must be one of a fixed set of words. */
export function choiceFlag<const C extends string>(
  name: string,
  value: string | undefined,
  choices: readonly C[],
  fallback: C,
): C {
  if (value === undefined) return fallback
  if ((choices as readonly string[]).includes(value)) return value as C
  throw new UsageError(`option --${name} must be one of ${choices.join(', ')}, got '${value}'`)
}

/**
 * Reads repeated `NAME=N` flags (`--reserved students=5 --reserved grades=2`) into pairs; a
 * missing `=`, an empty name or a number out of bounds is a UsageError naming the flag.
 */
export function assignmentFlags(
  name: string,
  values: readonly string[] | undefined,
  bounds: { min: number; max: number; integer?: boolean },
): [string, number][] {
  return (values ?? []).map((value) => {
    const equals = value.indexOf('=')
    const key = equals < 0 ? '' : value.slice(0, equals).trim()
    const text = equals < 0 ? '' : value.slice(equals + 1).trim()
    const parsed = Number(text)
    const whole = bounds.integer === false || /^\d+$/.test(text)
    if (key === '' || text === '' || !whole || !Number.isFinite(parsed)) {
      throw new UsageError(`option --${name} takes FUNCTION=NUMBER, got '${value}'`)
    }
    if (parsed < bounds.min || parsed > bounds.max) {
      throw new UsageError(
        `option --${name}: ${key} must be from ${bounds.min} to ${bounds.max}, got '${text}'`,
      )
    }
    return [key, parsed]
  })
}
