import { afterAll, beforeAll } from 'vitest'
import { inProcessClient } from '../support/in-process-client.js'
import { type LocalTable, startLocalTable } from '../support/local-table.js'
import { scanAll } from '../support/scan.js'
import { type ContractHarness, describeApiContract } from './api-contract.js'

let table: LocalTable
const harnesses: Record<string, ContractHarness> = {}

beforeAll(async () => {
  table = await startLocalTable()
  for (const topology of ['monolith', 'per-route'] as const) {
    harnesses[topology] = {
      client: inProcessClient(topology, table),
      storedItems: () => scanAll(table.db, table.tableName),
    }
  }
})

afterAll(() => table.close())

describeApiContract(
  'through the monolith function entry',
  () => harnesses.monolith as ContractHarness,
)
describeApiContract(
  'through the per-route function entries',
  () => harnesses['per-route'] as ContractHarness,
)
