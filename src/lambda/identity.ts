import { type Identity, rolesOf } from '../auth/roles.js'

/**
 * The identity API Gateway's authorizer vouched for, from the claims it put in the event
 * (payload 2.0: `requestContext.authorizer.jwt.claims`; payload 1.0 and REST APIs:
 * `requestContext.authorizer.claims`). A client cannot write these: API Gateway builds the
 * request context. Without a subject there is no identity, and protected routes refuse.
 */
export function identityFromClaims(claims: unknown, scopePrefix: string): Identity | undefined {
  if (typeof claims !== 'object' || claims === null) return undefined
  const { sub, scope, scp } = claims as Record<string, unknown>
  if (typeof sub !== 'string' || sub === '') return undefined
  return { subject: sub, roles: rolesOf(scopeList(scope ?? scp), scopePrefix) }
}

/** `scope` is space-separated; a list claim such as `scp` arrives as one string, `[a b]`. */
function scopeList(value: unknown): string[] {
  if (Array.isArray(value)) return value.map(String)
  if (typeof value !== 'string') return []
  const text = value.startsWith('[') && value.endsWith(']') ? value.slice(1, -1) : value
  return text.split(/\s+/).filter(Boolean)
}

/** The headers a handler may see: the credentials stay with the adapter. */
export function withoutCredentials(headers: Record<string, string>): Record<string, string> {
  delete headers.authorization
  return headers
}
