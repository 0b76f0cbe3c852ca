import { GetCommand, QueryCommand } from '@aws-sdk/lib-dynamodb'
import type { StoreContext } from './context.js'
import { type CursorShape, decodeCursor, encodeCursor } from './cursor.js'
import { type Created, type IdempotencyStamp, putNew } from './idempotency.js'
import {
  CATALOGUE_PARTITION,
  COURSE_SORT_KEY,
  catalogueIndexKeys,
  courseKey,
  coursePartition,
  KEY_ID_PATTERN,
} from './keys.js'
import type { Course, CourseSummary, Page, PageRequest } from './records.js'
import { TABLE } from './table.js'
import { translateStoreError } from './translate.js'

/** A catalogue cursor is the index key and the table key of a course: `createdAt#courseId`. */
const CATALOGUE_CURSOR: CursorShape = {
  [TABLE.partitionKey]: new RegExp(`^${coursePartition('')}${KEY_ID_PATTERN}$`),
  [TABLE.sortKey]: COURSE_SORT_KEY,
  [TABLE.index.partitionKey]: CATALOGUE_PARTITION,
  [TABLE.index.sortKey]: new RegExp(`^[0-9T:.Z+-]{1,40}#${KEY_ID_PATTERN}$`),
}

/** Both keys name the same course. */
const sameCourse = (key: Readonly<Record<string, string>>) =>
  key[TABLE.index.sortKey]?.endsWith(
    `#${key[TABLE.partitionKey]?.slice(coursePartition('').length)}`,
  ) === true

export class CourseStore {
  constructor(private readonly context: StoreContext) {}

  /** Stores a new course with no seats taken; it appears in the catalogue at once. */
  create(course: CourseSummary, stamp?: IdempotencyStamp): Promise<Created<Course>> {
    const item = {
      ...catalogueIndexKeys(course.courseId, course.createdAt),
      type: 'course',
      ...course,
      enrolled: 0,
    }
    return putNew(this.context, courseKey(course.courseId), item, {
      stamp,
      describe: `course ${course.courseId}`,
      toRecord: toCourse,
    })
  }

  async get(courseId: string): Promise<Course | undefined> {
    const { db, tableName } = this.context
    try {
      const { Item } = await db.send(
        new GetCommand({ TableName: tableName, Key: courseKey(courseId) }),
      )
      return Item ? toCourse(Item) : undefined
    } catch (error) {
      return translateStoreError(error)
    }
  }

  /** The catalogue, oldest course first, read from the index. */
  async list(page: PageRequest): Promise<Page<CourseSummary>> {
    const { db, tableName } = this.context
    const startKey = page.cursor
      ? decodeCursor(page.cursor, CATALOGUE_CURSOR, sameCourse)
      : undefined
    try {
      const { Items = [], LastEvaluatedKey } = await db.send(
        new QueryCommand({
          TableName: tableName,
          IndexName: TABLE.index.name,
          KeyConditionExpression: '#partition = :catalogue',
          ExpressionAttributeNames: { '#partition': TABLE.index.partitionKey },
          ExpressionAttributeValues: { ':catalogue': CATALOGUE_PARTITION },
          Limit: page.limit,
          ExclusiveStartKey: startKey,
        }),
      )
      const nextCursor = encodeCursor(LastEvaluatedKey)
      return { items: Items.map(toCourseSummary), ...(nextCursor ? { nextCursor } : {}) }
    } catch (error) {
      return translateStoreError(error)
    }
  }
}

function toCourseSummary(item: Record<string, unknown>): CourseSummary {
  return {
    courseId: String(item.courseId),
    title: String(item.title),
    capacity: Number(item.capacity),
    createdAt: String(item.createdAt),
  }
}

function toCourse(item: Record<string, unknown>): Course {
  return { ...toCourseSummary(item), enrolled: Number(item.enrolled) }
}
