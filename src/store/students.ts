import { GetCommand, PutCommand } from '@aws-sdk/lib-dynamodb'
import { isConditionFailure, type StoreContext } from './context.js'
import { ItemConflictError } from './errors.js'
import { studentKey } from './keys.js'
import type { Student } from './records.js'
import { translateStoreError } from './translate.js'

export class StudentStore {
  constructor(private readonly context: StoreContext) {}

  /** Stores a new student; an id already taken is a conflict, never an overwrite. */
  async create(student: Student): Promise<Student> {
    const { db, tableName } = this.context
    try {
      await db.send(
        new PutCommand({
          TableName: tableName,
          Item: { ...studentKey(student.studentId), type: 'student', ...student },
          ConditionExpression: 'attribute_not_exists(pk)',
        }),
      )
      return student
    } catch (error) {
      if (isConditionFailure(error)) {
        throw new ItemConflictError('already_exists', `student ${student.studentId} already exists`)
      }
      return translateStoreError(error)
    }
  }

  async get(studentId: string): Promise<Student | undefined> {
    const { db, tableName } = this.context
    try {
      const { Item } = await db.send(
        new GetCommand({ TableName: tableName, Key: studentKey(studentId) }),
      )
      return Item ? toStudent(Item) : undefined
    } catch (error) {
      return translateStoreError(error)
    }
  }
}

export function toStudent(item: Record<string, unknown>): Student {
  return {
    studentId: String(item.studentId),
    name: String(item.name),
    email: String(item.email),
    createdAt: String(item.createdAt),
  }
}
