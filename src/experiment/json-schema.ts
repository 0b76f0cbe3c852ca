import { z } from 'zod'
import { experimentSchema } from './definition.js'

/**
 * The JSON Schema of experiment files, generated from the zod schema (input side, so keys with
 * defaults are optional), for editors. Checks across keys (unique variant names, quick variants
 * that exist, capacity specs that parse) are enforced only by the loader.
 */
export function experimentJsonSchema(): Record<string, unknown> {
  return {
    ...z.toJSONSchema(experimentSchema, { io: 'input', unrepresentable: 'any' }),
    title: 'aplus experiment',
  }
}
