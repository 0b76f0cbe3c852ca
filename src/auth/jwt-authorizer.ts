import { createLocalJWKSet, errors, type JSONWebKeySet, type JWTPayload, jwtVerify } from 'jose'

/** An HTTP API JWT authorizer's settings: whom it trusts, for which audiences. */
export interface JwtAuthorizerConfig {
  issuer: string
  audiences: string[]
  jwks: JSONWebKeySet
}

export type AuthorizerDecision =
  | { allowed: true; claims: Record<string, string>; scopes: string[] }
  | { allowed: false; statusCode: 401 | 403; wwwAuthenticate: string }

/**
 * Decides a request as an HTTP API JWT authorizer does: the token (with or without `Bearer `)
 * must be signed by a key of the issuer's JWKS (RSA), name the issuer, carry an allowed `aud`
 * (or, without `aud`, `client_id`), be within exp/nbf/iat; and when the route lists scopes, the
 * token's `scope` or `scp` must hold one of them. A bad token is a 401, a missing scope a 403,
 * each with the `www-authenticate` header API Gateway sends.
 */
export function createJwtAuthorizer(config: JwtAuthorizerConfig) {
  const keys = createLocalJWKSet(config.jwks)
  return async function authorize(
    authorization: string | undefined,
    requiredScopes: readonly string[],
  ): Promise<AuthorizerDecision> {
    const token = authorization?.replace(/^Bearer\s+/i, '').trim()
    if (!token) return refuse(401, 'invalid_token', 'the token is missing')
    let payload: JWTPayload
    try {
      payload = (
        await jwtVerify(token, keys, {
          issuer: config.issuer,
          algorithms: ['RS256', 'RS384', 'RS512'],
        })
      ).payload
    } catch (error) {
      return refuse(401, 'invalid_token', describeFailure(error))
    }
    if (!audienceMatches(payload, config.audiences)) {
      return refuse(401, 'invalid_token', 'the token does not have a valid audience')
    }
    if (typeof payload.iat === 'number' && payload.iat > Date.now() / 1000 + 1) {
      return refuse(401, 'invalid_token', 'the token was issued in the future')
    }
    const scopes = scopesOf(payload)
    if (requiredScopes.length > 0 && !requiredScopes.some((scope) => scopes.includes(scope))) {
      return refuse(
        403,
        'insufficient_scope',
        'the token does not have a required scope',
        requiredScopes,
      )
    }
    return { allowed: true, claims: stringClaims(payload), scopes }
  }
}

function audienceMatches(payload: JWTPayload, audiences: readonly string[]): boolean {
  const { aud } = payload
  if (aud !== undefined)
    return (Array.isArray(aud) ? aud : [aud]).some((value) => audiences.includes(value))
  return typeof payload.client_id === 'string' && audiences.includes(payload.client_id)
}

function scopesOf(payload: JWTPayload): string[] {
  if (typeof payload.scope === 'string') return payload.scope.split(' ').filter(Boolean)
  if (Array.isArray(payload.scp)) return payload.scp.map(String)
  if (typeof payload.scp === 'string') return payload.scp.split(' ').filter(Boolean)
  return []
}

/** Claims as API Gateway hands them to Lambda in payload 2.0: every value a string. */
function stringClaims(payload: JWTPayload): Record<string, string> {
  const claims: Record<string, string> = Object.create(null)
  for (const [name, value] of Object.entries(payload)) {
    claims[name] =
      typeof value === 'string'
        ? value
        : Array.isArray(value)
          ? `[${value.join(' ')}]`
          : String(value)
  }
  return claims
}

function describeFailure(error: unknown): string {
  if (error instanceof errors.JWTExpired) return 'the token has expired'
  if (error instanceof errors.JWTClaimValidationFailed)
    return `the token's ${error.claim} claim is not valid`
  if (error instanceof errors.JWKSNoMatchingKey) return 'no key of the issuer signed the token'
  if (error instanceof errors.JWSSignatureVerificationFailed) return 'the signature does not verify'
  return 'the token is not a valid JWT'
}

function refuse(
  statusCode: 401 | 403,
  error: string,
  description: string,
  scopes: readonly string[] = [],
): AuthorizerDecision {
  return {
    allowed: false,
    statusCode,
    wwwAuthenticate: `Bearer scope="${scopes.join(' ')}" error="${error}" error_description="${description}"`,
  }
}
