import {
  type CapacitySpec,
  CapacitySpecError,
  DEFAULT_CAPACITY,
  parseCapacitySpec,
} from '../store/capacity.js'
import { UsageError } from './command.js'

/** Reads --capacity (see src/store/capacity.ts for the written form); a mistake names the flag. */
export function capacityFlag(value: string | undefined): CapacitySpec
export function capacityFlag(
  value: string | undefined,
  fallback: undefined,
): CapacitySpec | undefined
export function capacityFlag(
  value: string | undefined,
  fallback: CapacitySpec | undefined = DEFAULT_CAPACITY,
): CapacitySpec | undefined {
  if (value === undefined) return fallback
  try {
    return parseCapacitySpec(value)
  } catch (error) {
    if (error instanceof CapacitySpecError) {
      throw new UsageError(`option --capacity: ${error.message}`)
    }
    throw error
  }
}
