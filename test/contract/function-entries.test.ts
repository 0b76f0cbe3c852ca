import { afterAll, beforeAll } from 'vitest'
import { inProcessClient } from '../support/in-process-client.js'
import { type LocalTable, startLocalTable } from '../support/local-table.js'
import { scanAll } from '../support/scan.js'
import { openTestTokens, type TestTokens } from '../support/tokens.js'
import { type ContractHarness, describeApiContract } from './api-contract.js'

let table: LocalTable
let tokens: TestTokens
const harnesses: Record<string, ContractHarness> = {}

beforeAll(async () => {
  table = await startLocalTable()
  tokens = await openTestTokens()
  const { issuer } = tokens
  for (const topology of ['monolith', 'per-route'] as const) {
    const client = inProcessClient(topology, table, {
      issuer: issuer.issuer,
      audiences: [issuer.audience],
      jwks: issuer.jwks,
    })
    harnesses[topology] = {
      client,
      storedItems: () => scanAll(table.db, table.tableName),
      tokens,
      refusedBy: 'function',
      invocations: client.invocations,
    }
  }
})

afterAll(async () => {
  await table.close()
  await tokens.close()
})

describeApiContract(
  'through the monolith function entry',
  () => harnesses.monolith as ContractHarness,
)
describeApiContract(
  'through the per-route function entries',
  () => harnesses['per-route'] as ContractHarness,
)
