import { createDocumentClient } from './client.js'
import type { StoreContext } from './context.js'
import { CourseStore } from './courses.js'
import { EnrollmentStore } from './enrollments.js'
import { STORE_ENVIRONMENT } from './environment.js'
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
  const tableName = env[STORE_ENVIRONMENT.tableName]
  if (!tableName) {
    throw new Error(
      `${STORE_ENVIRONMENT.tableName} is not set: the function does not know its table`,
    )
  }
  const profile = storeProfile(env[STORE_ENVIRONMENT.storeProfile])
  return createStore({ db: createDocumentClient(profile), tableName })
}
