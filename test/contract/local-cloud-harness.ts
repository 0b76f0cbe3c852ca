import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb'
import { afterAll, beforeAll } from 'vitest'
import { type LocalCloud, startLocalCloud } from '../../src/local/cloud.js'
import { localAdminClient } from '../../src/local/table-setup.js'
import type { Topology } from '../../src/topology/topologies.js'
import { httpClient } from '../support/api-client.js'
import { scanAll } from '../support/scan.js'
import { openTestTokens, type TestTokens } from '../support/tokens.js'
import type { ContractHarness } from './harness.js'

/**
 * Starts the local cloud of one topology for the file's tests, trusting a throwaway issuer, and
 * returns the contract harness to run over HTTP. One topology per file, so the three clouds
 * start in parallel test workers.
 */
export function useLocalCloudHarness(topology: Topology): () => ContractHarness {
  let cloud: LocalCloud
  let buildDir: string
  let tokens: TestTokens
  let harness: ContractHarness

  beforeAll(async () => {
    buildDir = await mkdtemp(join(tmpdir(), 'aplus-build-'))
    tokens = await openTestTokens()
    // Real execution environments; the modelled cold-start delay is left out because this suite
    // checks what the API answers, not how long a cold start takes (tested in test/local).
    cloud = await startLocalCloud({
      topology,
      buildDir,
      jwtKeyFile: tokens.keyFile,
      config: { lambda: { coldStartDelayMs: 0 } },
    })
    const db = DynamoDBDocumentClient.from(localAdminClient(cloud.dynamodbUrl))
    harness = {
      client: httpClient(cloud.url),
      storedItems: () => scanAll(db, cloud.tableName),
      tokens,
      refusedBy: 'gateway',
      invocations: () => invocationsOf(cloud),
    }
  })

  afterAll(async () => {
    await cloud?.close()
    await tokens?.close()
    await rm(buildDir, { recursive: true, force: true })
  })

  return () => harness
}

/** Every invocation the cloud's functions started, from its timeline. */
export function invocationsOf(cloud: LocalCloud): number {
  let total = 0
  for (const second of cloud.timeline.export().seconds) {
    for (const fn of Object.values(second.functions)) total += fn.invocations
  }
  return total
}
