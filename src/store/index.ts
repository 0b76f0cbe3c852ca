import { createDocumentClient } from './client.js'
import type { StoreContext } from './context.js'
import { CourseStore } from './courses.js'
import { EnrollmentStore } from './enrollments.js'
import { GradeStore } from './grades.js'
import { storeProfile } from './profile.js'
import { StudentStore } from './students.js'

export interface Store {
  readonly students: StudentStore
  readonly courses: CourseStore
  readonly enrollments: EnrollmentStore
  readonly grades: GradeStore
}

export function createStore(context: StoreContext): Store {
  return {
    students: new StudentStore(context),
    courses: new CourseStore(context),
    enrollments: new EnrollmentStore(context),
    grades: new GradeStore(context),
  }
}

/**
 * The store of one execution environment, configured from its environment variables: TABLE_NAME
 * names the table, APLUS_STORE_PROFILE picks the client profile. Call it once, at module scope,
 * so the client and its connections live as long as the environment.
 */
export function createStoreFromEnvironment(env: NodeJS.ProcessEnv = process.env): Store {
  const tableName = env.TABLE_NAME
  if (!tableName) throw new Error('TABLE_NAME is not set: the function does not know its table')
  return createStore({ db: createDocumentClient(storeProfile(env.APLUS_STORE_PROFILE)), tableName })
}
