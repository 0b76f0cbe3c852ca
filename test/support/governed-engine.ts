import { setTimeout as delay } from 'node:timers/promises'
import type { CreateTableCommandInput } from '@aws-sdk/client-dynamodb'
import { DynamoDbEngine } from '../../src/local/dynamodb/engine.js'
import { DynamoDbServiceError } from '../../src/local/dynamodb/errors.js'
import { ManualClock } from '../../src/local/dynamodb/governor/clock.js'
import type { GovernorConfigInput } from '../../src/local/dynamodb/governor/config.js'
import { CapacityGovernor } from '../../src/local/dynamodb/governor/governor.js'

export type Outcome =
  | { ok: true; body: Record<string, unknown> }
  | { ok: false; error: DynamoDbServiceError }

/**
 * The real engine (dynalite) behind a governor whose clock a test moves by hand: bucket refills
 * and metrics follow the simulated time, so a ten-second scenario runs in a fraction of that.
 */
export async function governedEngine(config: GovernorConfigInput = {}) {
  const engine = DynamoDbEngine.open()
  const clock = new ManualClock(1_000_000)
  const governor = new CapacityGovernor({ engine, config, clock })

  async function call(operation: string, body: unknown): Promise<Outcome> {
    try {
      return { ok: true, body: await governor.handle(operation, body, { requestId: 'test' }) }
    } catch (error) {
      if (error instanceof DynamoDbServiceError) return { ok: false, error }
      throw error
    }
  }

  async function createTable(input: object): Promise<void> {
    const created = await call('CreateTable', input)
    if (!created.ok) throw created.error
    // dynalite marks a table ACTIVE on the next timer turn (its create delay is 0 here).
    await delay(5)
    await governor.tick()
  }

  return { engine, governor, clock, call, createTable, close: () => engine.close() }
}

/** A string attribute of `bytes` bytes, to build items of a chosen size. */
export const filler = (bytes: number) => ({ S: 'x'.repeat(bytes) })

/** A table with a string hash key `pk` and sort key `sk`, provisioned as given. */
export function provisionedTable(
  tableName: string,
  readUnits: number,
  writeUnits: number,
): CreateTableCommandInput & { TableName: string } {
  return {
    TableName: tableName,
    AttributeDefinitions: [
      { AttributeName: 'pk', AttributeType: 'S' },
      { AttributeName: 'sk', AttributeType: 'S' },
    ],
    KeySchema: [
      { AttributeName: 'pk', KeyType: 'HASH' },
      { AttributeName: 'sk', KeyType: 'RANGE' },
    ],
    ProvisionedThroughput: { ReadCapacityUnits: readUnits, WriteCapacityUnits: writeUnits },
  }
}
