import { z } from 'zod'
import { scenarioSchema } from './schema.js'

/**
 * The JSON Schema of scenario files, generated from the zod schema (input side, so keys with
 * defaults are optional). Checks that span keys (a spike inside its phase, no repeated mix entry)
 * cannot be expressed in JSON Schema and are enforced only by the loader.
 */
export function scenarioJsonSchema(): Record<string, unknown> {
  return {
    ...z.toJSONSchema(scenarioSchema, { io: 'input', unrepresentable: 'any' }),
    title: 'APlusLoadTest scenario',
  }
}
