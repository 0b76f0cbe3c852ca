// Regenerates the JSON Schemas in schema/ from the zod schemas: `npm run schemas`.
// Tests fail when a checked-in file differs from what this would write.
import { writeFileSync } from 'node:fs'
import { experimentJsonSchema } from '../src/experiment/json-schema.js'
import { scenarioJsonSchema } from '../src/loadtest/scenario/json-schema.js'

const schemas = {
  'scenario.schema.json': scenarioJsonSchema(),
  'experiment.schema.json': experimentJsonSchema(),
}
for (const [name, schema] of Object.entries(schemas)) {
  const target = new URL(`../schema/${name}`, import.meta.url)
  writeFileSync(target, `${JSON.stringify(schema, null, 2)}\n`)
  process.stderr.write(`wrote ${target.pathname}\n`)
}
