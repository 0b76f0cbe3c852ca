import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb'
import { afterAll, beforeAll } from 'vitest'
import { type LocalCloud, startLocalCloud } from '../../src/local/cloud.js'
import { localAdminClient } from '../../src/local/table-setup.js'
import { httpClient } from '../support/api-client.js'
import { scanAll } from '../support/scan.js'
import { type ContractHarness, describeApiContract } from './api-contract.js'

// One topology per file, so the three clouds start in parallel test workers.
let cloud: LocalCloud
let buildDir: string
let harness: ContractHarness

beforeAll(async () => {
  buildDir = await mkdtemp(join(tmpdir(), 'aplus-build-'))
  // Real execution environments; the modelled cold-start delay is left out because this suite
  // checks what the API answers, not how long a cold start takes (tested in test/local).
  cloud = await startLocalCloud({
    topology: 'monolith',
    buildDir,
    config: { lambda: { coldStartDelayMs: 0 } },
  })
  const db = DynamoDBDocumentClient.from(localAdminClient(cloud.dynamodbUrl))
  harness = { client: httpClient(cloud.url), storedItems: () => scanAll(db, cloud.tableName) }
})

afterAll(async () => {
  await cloud?.close()
  await rm(buildDir, { recursive: true, force: true })
})

describeApiContract('through the local cloud, monolith topology bundles', () => harness)
