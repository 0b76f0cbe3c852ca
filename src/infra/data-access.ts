import type { HandlerId, RouteDefinition } from '../api/routes.js'
import type { FunctionDefinition } from '../topology/topologies.js'
import { DataAccessError } from './errors.js'

/**
 * The DynamoDB IAM actions a function may be granted, by what they do. A transaction is
 * authorized action by action: TransactWriteItems needs the permission of each of its parts
 * (ConditionCheckItem, PutItem, UpdateItem, DeleteItem) and has none of its own.
 * ConditionCheckItem changes nothing, but it exists only inside TransactWriteItems, so only
 * writing routes use it and it counts as writing here.
 */
export const DYNAMODB_ACTIONS = {
  GetItem: 'read',
  BatchGetItem: 'read',
  Query: 'read',
  Scan: 'read',
  ConditionCheckItem: 'write',
  PutItem: 'write',
  UpdateItem: 'write',
  DeleteItem: 'write',
  BatchWriteItem: 'write',
} as const

export type DynamoDbAction = keyof typeof DYNAMODB_ACTIONS

/** What one route does to the table and to its index (the index is only ever read). */
export interface RouteDataAccess {
  readonly table?: readonly DynamoDbAction[]
  readonly index?: readonly ('Query' | 'Scan')[]
}

/**
 * The one place that says which DynamoDB actions each route's store calls make: IAM is granted
 * from it, nothing else. Keyed by handler, so a new route does not compile until it is listed.
 * A test runs every route against the local DynamoDB and checks that the calls each one makes
 * are exactly these.
 */
export const ROUTE_DATA_ACCESS: Readonly<Record<HandlerId, RouteDataAccess>> = {
  createStudent: { table: ['PutItem'] },
  getStudent: { table: ['GetItem'] },
  createCourse: { table: ['PutItem'] },
  listCourses: { index: ['Query'] },
  getCourse: { table: ['GetItem'] },
  // One TransactWriteItems: the student exists, the enrollment is new, the course has a seat.
  enrollStudent: { table: ['ConditionCheckItem', 'PutItem', 'UpdateItem'] },
  listEnrollments: { table: ['Query'] },
  recordGrade: { table: ['UpdateItem'] },
  getTranscript: { table: ['GetItem'], index: ['Query'] },
  health: {},
  methodNotAllowed: {},
  notFound: {},
}

/** The DynamoDB actions a function needs on the table and on the index, sorted. */
export interface FunctionDataAccess {
  readonly table: readonly DynamoDbAction[]
  readonly index: readonly DynamoDbAction[]
}

/** The union of what a function's routes need; empty for a function that touches no data. */
export function dataAccessOf(fn: FunctionDefinition): FunctionDataAccess {
  const table = new Set<DynamoDbAction>()
  const index = new Set<DynamoDbAction>()
  for (const route of fn.routes) {
    const access = routeDataAccess(route)
    for (const action of access.table ?? []) table.add(action)
    for (const action of access.index ?? []) index.add(action)
  }
  return { table: [...table].sort(), index: [...index].sort() }
}

/**
 * A route's declared access, checked against its `access` in the route table: a route that
 * touches no data declares nothing, a reading route declares only reads, a writing route at
 * least one write.
 */
export function routeDataAccess(route: RouteDefinition): RouteDataAccess {
  const declared = ROUTE_DATA_ACCESS[route.id as HandlerId]
  if (!declared) throw new DataAccessError(`route ${route.id} has no entry in ROUTE_DATA_ACCESS`)
  const actions = [...(declared.table ?? []), ...(declared.index ?? [])]
  const writes = actions.filter((action) => DYNAMODB_ACTIONS[action] === 'write')
  const wrong =
    (route.access === 'none' && actions.length > 0) ||
    (route.access === 'read' && (actions.length === 0 || writes.length > 0)) ||
    (route.access === 'write' && writes.length === 0)
  if (wrong) {
    throw new DataAccessError(
      `route ${route.id} has access '${route.access}' in the route table but declares ` +
        `[${actions.join(', ')}] in ROUTE_DATA_ACCESS`,
    )
  }
  return declared
}
