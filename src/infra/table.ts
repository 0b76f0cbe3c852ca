import type {
  AttributeDefinition,
  CreateTableCommandInput,
  KeySchemaElement,
} from '@aws-sdk/client-dynamodb'
import { RemovalPolicy } from 'aws-cdk-lib'
import * as dynamodb from 'aws-cdk-lib/aws-dynamodb'
import type { Construct } from 'constructs'
import type { CapacitySpec } from '../store/capacity.js'
import { createTableInput, TABLE } from '../store/table.js'

/**
 * CloudFormation names the table (so deployments of several topologies can live side by side);
 * createTableInput needs a name to describe the rest, and this one is not used.
 */
const UNUSED_TABLE_NAME = TABLE.defaultName

/**
 * The project's table, described by the same CreateTable request the local cloud sends
 * (createTableInput), plus auto scaling from the capacity spec, which CreateTable cannot carry.
 *
 * Destroying the stack deletes the table and its data: this is a lab, and a retained
 * provisioned table would go on costing money after `aplus destroy`.
 */
export function createAplusTable(scope: Construct, capacity: CapacitySpec): dynamodb.Table {
  const input = createTableInput(UNUSED_TABLE_NAME, capacity)
  const table = new dynamodb.Table(scope, 'Table', {
    partitionKey: keyAttribute(input.KeySchema, input, 'HASH'),
    sortKey: keyAttribute(input.KeySchema, input, 'RANGE'),
    billingMode: billingModeOf(input),
    readCapacity: input.ProvisionedThroughput?.ReadCapacityUnits,
    writeCapacity: input.ProvisionedThroughput?.WriteCapacityUnits,
    maxReadRequestUnits: input.OnDemandThroughput?.MaxReadRequestUnits,
    maxWriteRequestUnits: input.OnDemandThroughput?.MaxWriteRequestUnits,
    removalPolicy: RemovalPolicy.DESTROY,
  })
  for (const index of input.GlobalSecondaryIndexes ?? []) {
    const projection = index.Projection
    if (projection?.ProjectionType !== 'INCLUDE') {
      throw new Error(`index ${index.IndexName} must project INCLUDE attributes to be deployed`)
    }
    table.addGlobalSecondaryIndex({
      indexName: requireDefined(index.IndexName, 'IndexName'),
      partitionKey: keyAttribute(index.KeySchema, input, 'HASH'),
      sortKey: keyAttribute(index.KeySchema, input, 'RANGE'),
      projectionType: dynamodb.ProjectionType.INCLUDE,
      nonKeyAttributes: projection.NonKeyAttributes ?? [],
      readCapacity: index.ProvisionedThroughput?.ReadCapacityUnits,
      writeCapacity: index.ProvisionedThroughput?.WriteCapacityUnits,
      maxReadRequestUnits: index.OnDemandThroughput?.MaxReadRequestUnits,
      maxWriteRequestUnits: index.OnDemandThroughput?.MaxWriteRequestUnits,
    })
  }
  if (capacity.mode === 'provisioned' && capacity.autoScaling) {
    enableAutoScaling(table, capacity)
  }
  return table
}

/**
 * Target tracking on each of the four provisioned dimensions: from the provisioned units up to
 * the spec's maximum, holding consumption near the target utilization.
 */
function enableAutoScaling(
  table: dynamodb.Table,
  capacity: Extract<CapacitySpec, { mode: 'provisioned' }>,
): void {
  const scaling = capacity.autoScaling
  if (!scaling) return
  const utilization = { targetUtilizationPercent: scaling.targetUtilizationPercent }
  const indexName = TABLE.index.name
  table
    .autoScaleReadCapacity({
      minCapacity: capacity.table.readUnits,
      maxCapacity: scaling.max.readUnits,
    })
    .scaleOnUtilization(utilization)
  table
    .autoScaleWriteCapacity({
      minCapacity: capacity.table.writeUnits,
      maxCapacity: scaling.max.writeUnits,
    })
    .scaleOnUtilization(utilization)
  table
    .autoScaleGlobalSecondaryIndexReadCapacity(indexName, {
      minCapacity: capacity.index.readUnits,
      maxCapacity: scaling.max.readUnits,
    })
    .scaleOnUtilization(utilization)
  table
    .autoScaleGlobalSecondaryIndexWriteCapacity(indexName, {
      minCapacity: capacity.index.writeUnits,
      maxCapacity: scaling.max.writeUnits,
    })
    .scaleOnUtilization(utilization)
}

function billingModeOf(input: CreateTableCommandInput): dynamodb.BillingMode {
  return input.BillingMode === 'PAY_PER_REQUEST'
    ? dynamodb.BillingMode.PAY_PER_REQUEST
    : dynamodb.BillingMode.PROVISIONED
}

const ATTRIBUTE_TYPES = {
  S: dynamodb.AttributeType.STRING,
  N: dynamodb.AttributeType.NUMBER,
  B: dynamodb.AttributeType.BINARY,
} as const

function keyAttribute(
  keySchema: readonly KeySchemaElement[] | undefined,
  input: CreateTableCommandInput,
  keyType: 'HASH' | 'RANGE',
): dynamodb.Attribute {
  const name = requireDefined(
    keySchema?.find((element) => element.KeyType === keyType)?.AttributeName,
    `a ${keyType} key`,
  )
  const definition: AttributeDefinition | undefined = input.AttributeDefinitions?.find(
    (candidate) => candidate.AttributeName === name,
  )
  const type = definition?.AttributeType
  if (type === undefined || !(type in ATTRIBUTE_TYPES)) {
    throw new Error(`key attribute ${name} has no usable type in AttributeDefinitions`)
  }
  return { name, type: ATTRIBUTE_TYPES[type as keyof typeof ATTRIBUTE_TYPES] }
}

function requireDefined<T>(value: T | undefined, what: string): T {
  if (value === undefined) throw new Error(`the table definition lacks ${what}`)
  return value
}
