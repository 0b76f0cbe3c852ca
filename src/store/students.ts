import { GetCommand } from '@aws-sdk/lib-dynamodb'
import type { StoreContext } from './context.js'
import { type Created, type IdempotencyStamp, putNew } from './idempotency.js'
import { studentKey } from './keys.js'
import type { Student } from './records.js'
import { translateStoreError } from './translate.js'

export class StudentStore {
  constructor(private readonly context: StoreContext) {}

  /**
   * Stores a new student; an id already taken is a conflict, never an overwrite, unless the
   * stamp shows it is the same request again.
   */
  create(student: Student, stamp?: IdempotencyStamp): Promise<Created<Student>> {
    return putNew(
      this.context,
      studentKey(student.studentId),
      { type: 'student', ...student },
      {
        stamp,
        describe: `student ${student.studentId}`,
        toRecord: toStudent,
      },
    )
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
