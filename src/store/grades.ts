import { QueryCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb'
import { isConditionFailure, type StoreContext } from './context.js'
import { ItemNotFoundError } from './errors.js'
import { enrollmentKey, GRADE_PREFIX, gradeIndexKeys, transcriptPartition } from './keys.js'
import type { Grade, GradeRecord } from './records.js'
import { TABLE } from './table.js'
import { translateStoreError } from './translate.js'

/** A transcript is read whole; this bounds the pages one request may read. */
const MAX_TRANSCRIPT_PAGES = 10

export interface RecordedGrade extends GradeRecord {
  /** True when the student already had a grade in the course and this one replaced it. */
  replaced: boolean
}

export class GradeStore {
  constructor(private readonly context: StoreContext) {}

  /**
   * Records or replaces a grade on the enrollment itself, which also puts the enrollment into the
   * transcript index. A student who is not enrolled has no item to update: the condition refuses.
   */
  async record(grade: GradeRecord): Promise<RecordedGrade> {
    const { db, tableName } = this.context
    const indexKeys = gradeIndexKeys(grade.courseId, grade.studentId)
    try {
      const { Attributes } = await db.send(
        new UpdateCommand({
          TableName: tableName,
          Key: enrollmentKey(grade.courseId, grade.studentId),
          UpdateExpression:
            'SET #grade = :grade, #gradedAt = :gradedAt, #indexPartition = :indexPartition, #indexSort = :indexSort',
          ConditionExpression: 'attribute_exists(pk)',
          ExpressionAttributeNames: {
            '#grade': 'grade',
            '#gradedAt': 'gradedAt',
            '#indexPartition': TABLE.index.partitionKey,
            '#indexSort': TABLE.index.sortKey,
          },
          ExpressionAttributeValues: {
            ':grade': grade.grade,
            ':gradedAt': grade.gradedAt,
            ':indexPartition': indexKeys[TABLE.index.partitionKey],
            ':indexSort': indexKeys[TABLE.index.sortKey],
          },
          ReturnValues: 'UPDATED_OLD',
        }),
      )
      return { ...grade, replaced: Attributes?.grade !== undefined }
    } catch (error) {
      if (isConditionFailure(error)) {
        throw new ItemNotFoundError('enrollment', `${grade.courseId}/${grade.studentId}`)
      }
      return translateStoreError(error)
    }
  }

  /** Every grade of a student, in course-id order, from the sparse transcript index. */
  async transcript(studentId: string): Promise<GradeRecord[]> {
    const { db, tableName } = this.context
    const grades: GradeRecord[] = []
    let startKey: Record<string, unknown> | undefined
    try {
      for (let page = 0; page < MAX_TRANSCRIPT_PAGES; page += 1) {
        const { Items = [], LastEvaluatedKey } = await db.send(
          new QueryCommand({
            TableName: tableName,
            IndexName: TABLE.index.name,
            KeyConditionExpression: '#partition = :student AND begins_with(#sort, :grades)',
            ExpressionAttributeNames: {
              '#partition': TABLE.index.partitionKey,
              '#sort': TABLE.index.sortKey,
            },
            ExpressionAttributeValues: {
              ':student': transcriptPartition(studentId),
              ':grades': GRADE_PREFIX,
            },
            ExclusiveStartKey: startKey,
          }),
        )
        grades.push(...Items.map(toGradeRecord))
        startKey = LastEvaluatedKey
        if (!startKey) break
      }
      return grades
    } catch (error) {
      return translateStoreError(error)
    }
  }
}

function toGradeRecord(item: Record<string, unknown>): GradeRecord {
  return {
    courseId: String(item.courseId),
    studentId: String(item.studentId),
    grade: item.grade as Grade,
    gradedAt: String(item.gradedAt),
  }
}
