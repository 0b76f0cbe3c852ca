import type { AttributeValue } from '@aws-sdk/client-dynamodb'
import { QueryCommand, TransactWriteCommand } from '@aws-sdk/lib-dynamodb'
import { unmarshall } from '@aws-sdk/util-dynamodb'
import type { StoreContext } from './context.js'
import { decodeCursor, encodeCursor } from './cursor.js'
import { ItemConflictError, ItemNotFoundError } from './errors.js'
import {
  type Created,
  type IdempotencyStamp,
  judgeExisting,
  stampAttributes,
} from './idempotency.js'
import {
  COURSE_SORT_KEY,
  courseKey,
  coursePartition,
  ENROLLMENT_PREFIX,
  enrollmentKey,
  KEY_ID_PATTERN,
  studentKey,
} from './keys.js'
import type { Enrollment, Grade, Page, PageRequest } from './records.js'
import { TABLE } from './table.js'
import { cancellationReasons, translateStoreError } from './translate.js'

/** An enrollment listing's cursor: the course's partition and an item key in it. */
const ENROLLMENT_SORT_KEY = new RegExp(
  `^(${ENROLLMENT_PREFIX}${KEY_ID_PATTERN}|${COURSE_SORT_KEY})$`,
)

/** Positions of the three actions in the enrollment transaction, for reading its failure. */
const STUDENT_CHECK = 0
const ENROLLMENT_PUT = 1
const SEAT_UPDATE = 2

export class EnrollmentStore {
  constructor(private readonly context: StoreContext) {}

  /**
   * Enrolls a student in one transaction: the student must exist, the enrollment must not, and
   * the course must have a free seat, which the same transaction takes. DynamoDB's conditions
   * decide every refusal, so two concurrent requests can never both take the last seat.
   */
  async enroll(
    courseId: string,
    studentId: string,
    enrolledAt: string,
    stamp?: IdempotencyStamp,
  ): Promise<Created<Enrollment>> {
    const { db, tableName } = this.context
    const enrollment: Enrollment = { courseId, studentId, enrolledAt }
    try {
      await db.send(
        new TransactWriteCommand({
          TransactItems: [
            {
              ConditionCheck: {
                TableName: tableName,
                Key: studentKey(studentId),
                ConditionExpression: 'attribute_exists(pk)',
              },
            },
            {
              Put: {
                TableName: tableName,
                Item: {
                  ...enrollmentKey(courseId, studentId),
                  type: 'enrollment',
                  ...enrollment,
                  ...stampAttributes(stamp),
                },
                ConditionExpression: 'attribute_not_exists(pk)',
                ReturnValuesOnConditionCheckFailure: 'ALL_OLD',
              },
            },
            {
              Update: {
                TableName: tableName,
                Key: courseKey(courseId),
                UpdateExpression: 'SET #enrolled = #enrolled + :one',
                ConditionExpression: 'attribute_exists(pk) AND #enrolled < #capacity',
                ExpressionAttributeNames: { '#enrolled': 'enrolled', '#capacity': 'capacity' },
                ExpressionAttributeValues: { ':one': 1 },
                ReturnValuesOnConditionCheckFailure: 'ALL_OLD',
              },
            },
          ],
        }),
      )
      return { item: enrollment, replayed: false }
    } catch (error) {
      const replayed = replayOf(error, stamp)
      if (replayed) return { item: replayed, replayed: true }
      throwRefusal(error, courseId, studentId)
      return translateStoreError(error)
    }
  }

  /** The course's enrollments in student-id order; a course that does not exist is an error. */
  async list(courseId: string, page: PageRequest): Promise<Page<Enrollment>> {
    const { db, tableName } = this.context
    const partition = coursePartition(courseId)
    const startKey = page.cursor
      ? decodeCursor(page.cursor, {
          [TABLE.partitionKey]: partition,
          [TABLE.sortKey]: ENROLLMENT_SORT_KEY,
        })
      : undefined
    try {
      // The course item sorts first in its partition, so the first page also proves it exists.
      const { Items = [], LastEvaluatedKey } = await db.send(
        new QueryCommand({
          TableName: tableName,
          KeyConditionExpression: 'pk = :course',
          ExpressionAttributeValues: { ':course': partition },
          Limit: page.limit + (startKey ? 0 : 1),
          ExclusiveStartKey: startKey,
        }),
      )
      if (!startKey && Items[0]?.sk !== COURSE_SORT_KEY) {
        throw new ItemNotFoundError('course', courseId)
      }
      const nextCursor = encodeCursor(LastEvaluatedKey)
      const items = Items.filter((item) => item.sk !== COURSE_SORT_KEY).map(toEnrollment)
      return { items, ...(nextCursor ? { nextCursor } : {}) }
    } catch (error) {
      if (error instanceof ItemNotFoundError) throw error
      return translateStoreError(error)
    }
  }
}

/** The stored enrollment, when the refusal only means that this same request ran before. */
function replayOf(error: unknown, stamp: IdempotencyStamp | undefined): Enrollment | undefined {
  const reason = cancellationReasons(error)[ENROLLMENT_PUT]
  if (reason?.Code !== 'ConditionalCheckFailed' || !reason.Item) return undefined
  const existing = unmarshall(reason.Item as Record<string, AttributeValue>)
  return judgeExisting(existing, stamp) === 'replay' ? toEnrollment(existing) : undefined
}

/** Turns the enrollment transaction's cancellation into the refusal it stands for. */
function throwRefusal(error: unknown, courseId: string, studentId: string): void {
  const reasons = cancellationReasons(error)
  const failed = (index: number) => reasons[index]?.Code === 'ConditionalCheckFailed'
  if (failed(SEAT_UPDATE) && !reasons[SEAT_UPDATE]?.Item) {
    throw new ItemNotFoundError('course', courseId)
  }
  if (failed(STUDENT_CHECK)) throw new ItemNotFoundError('student', studentId)
  if (failed(ENROLLMENT_PUT)) {
    throw new ItemConflictError(
      'already_enrolled',
      `student ${studentId} is already enrolled in course ${courseId}`,
    )
  }
  if (failed(SEAT_UPDATE)) {
    throw new ItemConflictError('course_full', `course ${courseId} has no free seat`)
  }
}

export function toEnrollment(item: Record<string, unknown>): Enrollment {
  return {
    courseId: String(item.courseId),
    studentId: String(item.studentId),
    enrolledAt: String(item.enrolledAt),
    ...(item.grade === undefined ? {} : { grade: item.grade as Grade }),
    ...(item.gradedAt === undefined ? {} : { gradedAt: String(item.gradedAt) }),
  }
}
