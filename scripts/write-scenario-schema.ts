// Regenerates schema/scenario.schema.json from the zod schema: `npm run schema:scenario`.
// A test fails when the checked-in file differs from what this would write.
import { writeFileSync } from 'node:fs'
import { scenarioJsonSchema } from '../src/loadtest/scenario/json-schema.js'

const target = new URL('../schema/scenario.schema.json', import.meta.url)
writeFileSync(target, `${JSON.stringify(scenarioJsonSchema(), null, 2)}\n`)
process.stderr.write(`wrote ${target.pathname}\n`)
