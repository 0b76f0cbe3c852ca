import type { CreateTableCommandInput } from '@aws-sdk/client-dynamodb'
import type { CapacitySpec } from './capacity.js'

/**
 * The one table of the A+ backend, single-table design:
 *
 *   item        pk                 sk                 gsi1pk              gsi1sk
 *   student     STUDENT#<id>       PROFILE            –                   –
 *   course      COURSE#<id>        #COURSE            COURSES             <createdAt>#<id>
 *   enrollment  COURSE#<courseId>  ENROLLMENT#<sid>   STUDENT#<sid>       GRADE#<courseId>  (once graded)
 *
 * A course and its enrollments share a partition (one Query lists them); the index serves the
 * catalogue and, sparsely, the transcript: an enrollment enters it only when it gets a grade.
 * The index projects only what those two reads return, so bumping a course's seat count never
 * writes to the index (unprojected attributes cost no index write units).
 */
export const TABLE = {
  defaultName: 'aplus',
  partitionKey: 'pk',
  sortKey: 'sk',
  index: {
    name: 'gsi1',
    partitionKey: 'gsi1pk',
    sortKey: 'gsi1sk',
    projectedAttributes: [
      'courseId',
      'title',
      'capacity',
      'createdAt',
      'studentId',
      'grade',
      'gradedAt',
    ],
  },
} as const

/** The CreateTable request for the table, used by the local cloud (the CDK app mirrors it). */
export function createTableInput(
  tableName: string,
  capacity: CapacitySpec,
): CreateTableCommandInput {
  const { index } = TABLE
  const provisioned = capacity.mode === 'provisioned'
  const onDemandMax =
    capacity.mode === 'on-demand' && capacity.max
      ? {
          OnDemandThroughput: {
            MaxReadRequestUnits: capacity.max.readUnits,
            MaxWriteRequestUnits: capacity.max.writeUnits,
          },
        }
      : {}
  return {
    TableName: tableName,
    AttributeDefinitions: [
      TABLE.partitionKey,
      TABLE.sortKey,
      index.partitionKey,
      index.sortKey,
    ].map((AttributeName) => ({ AttributeName, AttributeType: 'S' })),
    KeySchema: [
      { AttributeName: TABLE.partitionKey, KeyType: 'HASH' },
      { AttributeName: TABLE.sortKey, KeyType: 'RANGE' },
    ],
    BillingMode: provisioned ? 'PROVISIONED' : 'PAY_PER_REQUEST',
    ...(provisioned
      ? {
          ProvisionedThroughput: {
            ReadCapacityUnits: capacity.table.readUnits,
            WriteCapacityUnits: capacity.table.writeUnits,
          },
        }
      : onDemandMax),
    GlobalSecondaryIndexes: [
      {
        IndexName: index.name,
        KeySchema: [
          { AttributeName: index.partitionKey, KeyType: 'HASH' },
          { AttributeName: index.sortKey, KeyType: 'RANGE' },
        ],
        Projection: { ProjectionType: 'INCLUDE', NonKeyAttributes: [...index.projectedAttributes] },
        ...(provisioned
          ? {
              ProvisionedThroughput: {
                ReadCapacityUnits: capacity.index.readUnits,
                WriteCapacityUnits: capacity.index.writeUnits,
              },
            }
          : onDemandMax),
      },
    ],
  }
}
