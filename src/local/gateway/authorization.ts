import type {
  APIGatewayProxyEvent,
  APIGatewayProxyEventV2,
  APIGatewayProxyEventV2WithJWTAuthorizer,
} from 'aws-lambda'
import { type RouteDefinition, routeKey, scopesOf } from '../../api/routes.js'
import type { AuthorizerDecision } from '../../auth/jwt-authorizer.js'
import { scopeName } from '../../auth/roles.js'
import type { ApiKind } from './api-errors.js'

/** Decides one request: `createJwtAuthorizer(…)` in src/auth, or anything deciding alike. */
export type Authorize = (
  authorization: string | undefined,
  requiredScopes: readonly string[],
) => Promise<AuthorizerDecision>

/** The gateway's JWT authorizer: how it decides, and how its issuer spells the roles as scopes. */
export interface GatewayAuthorizer {
  authorize: Authorize
  /** Put before each role name to make the route's scope, e.g. `aplus/` (default: none). */
  scopePrefix?: string
}

/** A token the authorizer accepted: what API Gateway hands the function. */
export interface VerifiedToken {
  claims: Record<string, string>
  scopes: string[]
}

/**
 * Route key → the scopes its route asks for, as the identity provider names them. Routes without
 * scopes are left out: API Gateway runs no authorizer for them and passes no claims.
 */
export function protectedRoutes(
  routes: readonly RouteDefinition[],
  scopePrefix = '',
): Map<string, string[]> {
  const scopes = new Map<string, string[]>()
  for (const route of routes) {
    const roles = scopesOf(route)
    if (roles.length > 0) {
      scopes.set(
        routeKey(route),
        roles.map((role) => scopeName(role, scopePrefix)),
      )
    }
  }
  return scopes
}

/**
 * The authorizer's step for one request: nothing to do on a public route (or without an
 * authorizer), else the verified token or the refusal to answer with.
 */
export async function checkToken(
  authorizer: GatewayAuthorizer | undefined,
  requiredScopes: readonly string[] | undefined,
  rawHeaders: readonly string[],
): Promise<
  | { token: VerifiedToken | undefined }
  | { refusal: 'unauthorized' | 'forbidden'; wwwAuthenticate: string }
> {
  if (!authorizer || !requiredScopes) return { token: undefined }
  const decision = await authorizer.authorize(authorizationHeader(rawHeaders), requiredScopes)
  if (!decision.allowed) {
    const refusal = decision.statusCode === 401 ? 'unauthorized' : 'forbidden'
    return { refusal, wwwAuthenticate: decision.wwwAuthenticate }
  }
  return { token: { claims: decision.claims, scopes: decision.scopes } }
}

/** The identity source HTTP API JWT authorizers use by default: `$request.header.Authorization`. */
export function authorizationHeader(rawHeaders: readonly string[]): string | undefined {
  const values: string[] = []
  for (let index = 0; index + 1 < rawHeaders.length; index += 2) {
    if (rawHeaders[index]?.toLowerCase() === 'authorization')
      values.push(rawHeaders[index + 1] ?? '')
  }
  // Repeated headers reach the authorizer joined, which no token survives: refused, rightly.
  return values.length === 0 ? undefined : values.join(',')
}

/** Payload 2.0: `requestContext.authorizer.jwt`, the claims (strings) and the token's scopes. */
export function withJwtClaims(
  event: APIGatewayProxyEventV2,
  token: VerifiedToken,
): APIGatewayProxyEventV2WithJWTAuthorizer {
  return {
    ...event,
    requestContext: {
      ...event.requestContext,
      authorizer: { jwt: { claims: token.claims, scopes: token.scopes } },
    },
  }
}

/**
 * Payload 1.0: `requestContext.authorizer.claims`, as a REST API's Cognito user pool authorizer
 * passes them; an HTTP API sending payload 1.0 adds `scopes` beside them.
 */
export function withRestClaims(
  event: APIGatewayProxyEvent,
  token: VerifiedToken,
  api: ApiKind,
): APIGatewayProxyEvent {
  const authorizer =
    api === 'http' ? { claims: token.claims, scopes: token.scopes } : { claims: token.claims }
  return { ...event, requestContext: { ...event.requestContext, authorizer } }
}
