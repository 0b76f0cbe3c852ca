import type { Role } from '../auth/roles.js'

/**
 * The route table of the A+ API: every route, the service it belongs to, whether it changes
 * data, and which roles may call it. It names handlers but does not import them, so a function
 * bundle built for one route pulls in that route's handler and nothing else (see src/topology).
 * The handler of a route is the export named `id` in `src/api/handlers/<service>.ts`.
 */

export const SERVICES = [
  'students',
  'courses',
  'enrollments',
  'grades',
  'health',
  'fallback',
] as const
export type ServiceName = (typeof SERVICES)[number]

export type HttpMethod = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE' | 'HEAD' | 'OPTIONS'

export interface RouteDefinition {
  /** Names the handler and, in kebab case, the route's function in the per-route topology. */
  readonly id: string
  /** An HTTP method, `ANY` (every method without a route of its own) or `$default` (no match). */
  readonly method: HttpMethod | 'ANY' | '$default'
  /** API Gateway's path template, e.g. `/courses/{courseId}`; empty for `$default`. */
  readonly path: string
  readonly service: ServiceName
  /** What the route does to stored data; drives IAM (least privilege) and authorization. */
  readonly access: 'read' | 'write' | 'none'
  /**
   * The roles (OAuth scopes) a token must carry one of; absent or empty: public, no token
   * asked. The gateway's JWT authorizer checks them before any function runs, and the function
   * checks them again. Rules about whose data a student may touch live in the handlers.
   */
  readonly scopes?: readonly Role[]
}

const INSTRUCTOR: readonly Role[] = ['instructor']
/** Students too, but only for themselves: the handler compares the student with the token. */
const INSTRUCTOR_OR_SELF: readonly Role[] = ['instructor', 'student']
const PUBLIC: readonly Role[] = []

/** The routes that do the API's work. */
export const API_ROUTES = [
  {
    id: 'createStudent',
    method: 'POST',
    path: '/students',
    service: 'students',
    access: 'write',
    scopes: INSTRUCTOR,
  },
  {
    id: 'getStudent',
    method: 'GET',
    path: '/students/{studentId}',
    service: 'students',
    access: 'read',
    scopes: INSTRUCTOR_OR_SELF,
  },
  {
    id: 'createCourse',
    method: 'POST',
    path: '/courses',
    service: 'courses',
    access: 'write',
    scopes: INSTRUCTOR,
  },
  {
    id: 'listCourses',
    method: 'GET',
    path: '/courses',
    service: 'courses',
    access: 'read',
    scopes: PUBLIC,
  },
  {
    id: 'getCourse',
    method: 'GET',
    path: '/courses/{courseId}',
    service: 'courses',
    access: 'read',
    scopes: PUBLIC,
  },
  {
    id: 'enrollStudent',
    method: 'POST',
    path: '/courses/{courseId}/enrollments',
    service: 'enrollments',
    access: 'write',
    scopes: INSTRUCTOR_OR_SELF,
  },
  {
    id: 'listEnrollments',
    method: 'GET',
    path: '/courses/{courseId}/enrollments',
    service: 'enrollments',
    access: 'read',
    scopes: INSTRUCTOR,
  },
  {
    id: 'recordGrade',
    method: 'PUT',
    path: '/courses/{courseId}/grades/{studentId}',
    service: 'grades',
    access: 'write',
    scopes: INSTRUCTOR,
  },
  {
    id: 'getTranscript',
    method: 'GET',
    path: '/students/{studentId}/grades',
    service: 'grades',
    access: 'read',
    scopes: INSTRUCTOR_OR_SELF,
  },
  {
    id: 'health',
    method: 'GET',
    path: '/health',
    service: 'health',
    access: 'none',
    scopes: PUBLIC,
  },
] as const satisfies readonly RouteDefinition[]

export type ApiRouteId = (typeof API_ROUTES)[number]['id']

/**
 * Routes that answer what API Gateway would otherwise answer with its own bare
 * `{"message":"Not Found"}`: a known path with a method it lacks (405 with Allow) and an unknown
 * path (404), both in the API's error shape. Derived from API_ROUTES, never listed by hand.
 */
export const FALLBACK_ROUTES: readonly RouteDefinition[] = [
  ...[...new Set(API_ROUTES.map((route) => route.path))].map(
    (path): RouteDefinition => ({
      id: 'methodNotAllowed',
      method: 'ANY',
      path,
      service: 'fallback',
      access: 'none',
      scopes: PUBLIC,
    }),
  ),
  {
    id: 'notFound',
    method: '$default',
    path: '',
    service: 'fallback',
    access: 'none',
    scopes: PUBLIC,
  },
]

export const ROUTES: readonly RouteDefinition[] = [...API_ROUTES, ...FALLBACK_ROUTES]

export type HandlerId = ApiRouteId | 'methodNotAllowed' | 'notFound'

/** API Gateway's route key: `GET /courses/{courseId}`, `ANY /courses`, or `$default`. */
export function routeKey(route: Pick<RouteDefinition, 'method' | 'path'>): string {
  return route.method === '$default' ? '$default' : `${route.method} ${route.path}`
}

/** The scopes a route asks for; empty for a public route. */
export function scopesOf(route: Pick<RouteDefinition, 'scopes'>): readonly Role[] {
  return route.scopes ?? []
}

/** The methods that have a route of their own at a path, for the Allow header of a 405. */
export function methodsAt(path: string): string[] {
  return API_ROUTES.filter((route) => route.path === path).map((route) => route.method)
}
