import { DescribeTableCommand } from '@aws-sdk/client-dynamodb'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { type LocalDynamoDb, startLocalDynamoDb } from '../../src/local/dynamodb/index.js'
import {
  applyProjectTableCapacity,
  governorConfigFor,
  localAdminClient,
} from '../../src/local/table-setup.js'
import { parseCapacitySpec } from '../../src/store/capacity.js'

describe("the project table's capacity", () => {
  let dynamodb: LocalDynamoDb

  beforeAll(async () => {
    dynamodb = await startLocalDynamoDb()
  })
  afterAll(() => dynamodb.close())

  const describeTable = async () => {
    const client = localAdminClient(dynamodb.url)
    try {
      return (await client.send(new DescribeTableCommand({ TableName: 'aplus' }))).Table
    } finally {
      client.destroy()
    }
  }

  it('creates the table, then changes only what differs, through UpdateTable', async () => {
    const apply = (spec: string) =>
      applyProjectTableCapacity(dynamodb.url, 'aplus', parseCapacitySpec(spec))
    expect(await apply('provisioned:10/10')).toBe('created')
    expect(await apply('provisioned:10/10')).toBe('unchanged')
    expect(await apply('provisioned:10/10,index=4/2')).toBe('updated')
    const provisioned = await describeTable()
    expect(provisioned?.GlobalSecondaryIndexes?.[0]?.ProvisionedThroughput).toMatchObject({
      ReadCapacityUnits: 4,
      WriteCapacityUnits: 2,
    })
    expect(await apply('on-demand,max=50/20')).toBe('updated')
    const onDemand = await describeTable()
    expect(onDemand?.BillingModeSummary?.BillingMode).toBe('PAY_PER_REQUEST')
    expect(onDemand?.OnDemandThroughput).toEqual({
      MaxReadRequestUnits: 50,
      MaxWriteRequestUnits: 20,
    })
    const governed = dynamodb.governor
      .snapshot()
      .tables.find((table) => table.tableName === 'aplus')
    expect(governed?.mode).toBe('on-demand')
    expect(governed?.resources[0]?.write.limitUnitsPerSecond).toBe(20)
    expect(await apply('provisioned:5/5')).toBe('updated')
    expect((await describeTable())?.ProvisionedThroughput).toMatchObject({ WriteCapacityUnits: 5 })
  })

  it('turns an auto scaling capacity into a governor policy for that table only', () => {
    const config = governorConfigFor(
      'aplus',
      parseCapacitySpec('provisioned:25/25,autoscale=400/200,target=60'),
      { burstSeconds: 0 },
    )
    expect(config).toEqual({
      burstSeconds: 0,
      autoScaling: {
        tables: { aplus: { targetUtilizationPercent: 60, maxReadUnits: 400, maxWriteUnits: 200 } },
      },
    })
    expect(governorConfigFor('aplus', parseCapacitySpec('on-demand'))).toEqual({})
  })
})
