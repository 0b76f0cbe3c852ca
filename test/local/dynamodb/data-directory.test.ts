import { mkdtemp, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { DataDirectoryError } from '../../../src/local/dynamodb/data-directory.js'
import { startLocalDynamoDb } from '../../../src/local/dynamodb/index.js'

let directory: string

beforeAll(async () => {
  directory = await mkdtemp(join(tmpdir(), 'aplus-data-dir-'))
})
afterAll(() => rm(directory, { recursive: true, force: true }))

describe('the local DynamoDB data directory', () => {
  it('refuses a directory another endpoint has open, instead of hanging or failing later', async () => {
    const first = await startLocalDynamoDb({ path: join(directory, 'shared') })
    try {
      const second = startLocalDynamoDb({ path: join(directory, 'shared') })
      await expect(second).rejects.toThrow(DataDirectoryError)
      await expect(second).rejects.toThrow(/another process has it open/)
    } finally {
      await first.close()
    }
  })

  it('refuses a path that cannot be a directory, naming it', async () => {
    const file = join(directory, 'a-file')
    await writeFile(file, 'x')
    await expect(startLocalDynamoDb({ path: join(file, 'data') })).rejects.toThrow(
      `cannot keep DynamoDB's data in ${join(file, 'data')}: ENOTDIR`,
    )
  })
})
