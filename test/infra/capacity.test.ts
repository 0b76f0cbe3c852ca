import { Match } from 'aws-cdk-lib/assertions'
import { afterEach, describe, expect, it } from 'vitest'
import { TABLE } from '../../src/store/table.js'
import { resourcesOf, type Synthesized, synthesize } from './synth.js'

describe('the table of a deployment', () => {
  let synthesized: Synthesized | undefined
  const synthesizeCapacity = (capacity: string) => {
    synthesized = synthesize({ capacity })
    return synthesized.template
  }
  afterEach(() => synthesized?.remove())

  it("is provisioned with the spec's units on the table and on its index", () => {
    const template = synthesizeCapacity('provisioned:25/20,index=10/5')
    template.hasResourceProperties('AWS::DynamoDB::Table', {
      BillingMode: Match.absent(),
      ProvisionedThroughput: { ReadCapacityUnits: 25, WriteCapacityUnits: 20 },
      GlobalSecondaryIndexes: [
        Match.objectLike({
          IndexName: TABLE.index.name,
          ProvisionedThroughput: { ReadCapacityUnits: 10, WriteCapacityUnits: 5 },
          Projection: {
            ProjectionType: 'INCLUDE',
            NonKeyAttributes: [...TABLE.index.projectedAttributes],
          },
        }),
      ],
    })
    template.resourceCountIs('AWS::ApplicationAutoScaling::ScalableTarget', 0)
  })

  it('scales by target tracking from the provisioned units up to the maximum', () => {
    const template = synthesizeCapacity('provisioned:25/20,index=10/5,autoscale=400/300,target=60')
    const targets = [
      ...resourcesOf(template, 'AWS::ApplicationAutoScaling::ScalableTarget').values(),
    ]
      .map(({ Properties: p }) => ({
        dimension: p.ScalableDimension,
        resource: JSON.stringify(p.ResourceId).includes('/index/') ? 'index' : 'table',
        min: p.MinCapacity,
        max: p.MaxCapacity,
      }))
      .sort((a, b) => `${a.resource}${a.dimension}`.localeCompare(`${b.resource}${b.dimension}`))
    expect(targets).toEqual([
      { dimension: 'dynamodb:index:ReadCapacityUnits', resource: 'index', min: 10, max: 400 },
      { dimension: 'dynamodb:index:WriteCapacityUnits', resource: 'index', min: 5, max: 300 },
      { dimension: 'dynamodb:table:ReadCapacityUnits', resource: 'table', min: 25, max: 400 },
      { dimension: 'dynamodb:table:WriteCapacityUnits', resource: 'table', min: 20, max: 300 },
    ])
    template.resourceCountIs('AWS::ApplicationAutoScaling::ScalingPolicy', 4)
    template.allResourcesProperties('AWS::ApplicationAutoScaling::ScalingPolicy', {
      PolicyType: 'TargetTrackingScaling',
      TargetTrackingScalingPolicyConfiguration: Match.objectLike({ TargetValue: 60 }),
    })
  })

  it('pays per request on demand, with no units and no cap', () => {
    const template = synthesizeCapacity('on-demand')
    const tables = [...resourcesOf(template, 'AWS::DynamoDB::Table').values()]
    expect(tables).toHaveLength(1)
    const table = tables[0]?.Properties ?? {}
    expect(table.BillingMode).toBe('PAY_PER_REQUEST')
    expect(table.ProvisionedThroughput).toBeUndefined()
    expect(table.OnDemandThroughput).toBeUndefined()
    const indexes = table.GlobalSecondaryIndexes as Record<string, unknown>[]
    expect(indexes).toHaveLength(1)
    expect(indexes[0]?.ProvisionedThroughput).toBeUndefined()
    expect(indexes[0]?.OnDemandThroughput).toBeUndefined()
  })

  it('caps on-demand throughput on the table and the index when given a maximum', () => {
    const template = synthesizeCapacity('on-demand,max=100/50')
    const cap = { MaxReadRequestUnits: 100, MaxWriteRequestUnits: 50 }
    template.hasResourceProperties('AWS::DynamoDB::Table', {
      BillingMode: 'PAY_PER_REQUEST',
      OnDemandThroughput: cap,
      GlobalSecondaryIndexes: [Match.objectLike({ OnDemandThroughput: cap })],
    })
  })

  it('is deleted with its stack, so nothing keeps costing after destroy', () => {
    const template = synthesizeCapacity('provisioned:25/25')
    template.hasResource('AWS::DynamoDB::Table', {
      DeletionPolicy: 'Delete',
      UpdateReplacePolicy: 'Delete',
    })
  })
})
