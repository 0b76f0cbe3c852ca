import type { Role } from '../auth/roles.js'
import { ApiError } from './errors.js'
import type { ApiRequest } from './types.js'

/**
 * No verified identity on a route that needs one: the request carried no valid token, or the
 * API was deployed without its authorizer. Either way the answer is no.
 */
export class UnauthenticatedError extends ApiError {
  override name = 'UnauthenticatedError'

  constructor(routeKey: string) {
    super(401, 'unauthenticated', `${routeKey} needs a bearer token`, {
      headers: { 'www-authenticate': 'Bearer' },
    })
  }
}

/** The identity is known but may not do this. */
export class ForbiddenError extends ApiError {
  override name = 'ForbiddenError'

  constructor(message: string) {
    super(403, 'forbidden', message)
  }
}

/**
 * The route's own rule, checked in the function as the gateway checked it before: a protected
 * route needs an identity holding one of its roles. Public routes ask for nothing.
 */
export function requireRouteRoles(request: ApiRequest, roles: readonly Role[]): void {
  if (roles.length === 0) return
  const { identity } = request
  if (!identity) throw new UnauthenticatedError(request.routeKey)
  if (!identity.roles.some((role) => roles.includes(role))) {
    throw new ForbiddenError(`${request.routeKey} is for ${roles.join(' or ')}; the token is not`)
  }
}

/**
 * A student acts on their own record only; an instructor on anyone's. Called by handlers once
 * the student in question is known and before any data is read or written.
 */
export function requireSelfOrInstructor(
  request: ApiRequest,
  studentId: string,
  refusal: string,
): void {
  const { identity } = request
  if (!identity) throw new UnauthenticatedError(request.routeKey)
  if (identity.roles.includes('instructor')) return
  if (identity.roles.includes('student') && identity.subject === studentId) return
  throw new ForbiddenError(refusal)
}
