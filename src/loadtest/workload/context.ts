import { randomUUID } from 'node:crypto'
import type { Scenario } from '../scenario/schema.js'
import { DataPool } from './data-pool.js'
import type { WorkloadContext } from './kinds.js'
import { WriteLedger } from './ledger.js'
import type { SeededRandom } from './random.js'

/**
 * A fresh workload for one run. Idempotency keys carry a random run id so two runs with the same
 * seed never collide at a server that remembers keys; everything else derives from the seed.
 */
export function createWorkloadContext(scenario: Scenario, seed: SeededRandom): WorkloadContext {
  const runId = randomUUID()
  let keySequence = 0
  let nameSequence = 0
  return {
    bodyRandom: seed.fork(1),
    pickRandom: seed.fork(2),
    pool: new DataPool(),
    ledger: new WriteLedger(),
    pageSize: scenario.pageSize,
    courseCapacity: scenario.setup.courseCapacity,
    idempotencyKey() {
      keySequence += 1
      return `${runId}-${keySequence}`
    },
    nextSequence() {
      nameSequence += 1
      return nameSequence
    },
  }
}
