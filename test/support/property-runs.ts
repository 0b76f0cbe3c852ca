import { mkdirSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import fc from 'fast-check'

/**
 * How the property suites run: a fixed seed and a bounded number of runs, so `npm test` is fast
 * and a failure reproduces. `APLUS_PROPERTY_SEED` and `APLUS_PROPERTY_SCALE` (a multiplier of every
 * run count) explore further by hand; `APLUS_PROPERTY_REPORT=DIR` writes what each suite tried.
 */
export const PROPERTY_SEED = Number(process.env.APLUS_PROPERTY_SEED ?? 20_261_203)

const SCALE = Number(process.env.APLUS_PROPERTY_SCALE ?? 1)

/** fast-check parameters for `runs` generated inputs (scaled), from the fixed seed. */
export function propertyParameters(runs: number): { seed: number; numRuns: number } {
  return { seed: PROPERTY_SEED, numRuns: Math.max(1, Math.round(runs * SCALE)) }
}

/**
 * Counts what a suite sent and what came back, per route (or command, or operation), and writes
 * it to `APLUS_PROPERTY_REPORT/<suite>.json` when that variable is set.
 */
export class PropertyTally {
  private readonly rows = new Map<string, { runs: number; outcomes: Record<string, number> }>()

  constructor(private readonly suite: string) {}

  record(subject: string, outcome: string | number): void {
    let row = this.rows.get(subject)
    if (!row) {
      row = { runs: 0, outcomes: {} }
      this.rows.set(subject, row)
    }
    row.runs += 1
    const key = String(outcome)
    row.outcomes[key] = (row.outcomes[key] ?? 0) + 1
  }

  write(): void {
    const directory = process.env.APLUS_PROPERTY_REPORT
    if (!directory) return
    mkdirSync(directory, { recursive: true })
    const document = {
      suite: this.suite,
      seed: PROPERTY_SEED,
      scale: SCALE,
      subjects: Object.fromEntries(this.rows),
    }
    writeFileSync(join(directory, `${this.suite}.json`), `${JSON.stringify(document, null, 2)}\n`)
  }
}

/** Runs an async property with the suite's seed; fails with fast-check's counterexample report. */
export async function assertProperty<T>(
  arbitrary: fc.Arbitrary<T>,
  predicate: (value: T) => Promise<void>,
  runs: number,
): Promise<void> {
  await fc.assert(fc.asyncProperty(arbitrary, predicate), propertyParameters(runs))
}
