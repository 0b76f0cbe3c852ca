import { createLocalJWKSet, errors, type JSONWebKeySet, type JWTPayload, jwtVerify } from 'jose'
import { type RememberedToken, VerifiedTokens } from './verified-tokens.js'

/** An HTTP API JWT authorizer's settings: whom it trusts, for which audiences. */
export interface JwtAuthorizerConfig {
  issuer: string
  audiences: string[]
  jwks: JSONWebKeySet
}

export interface JwtAuthorizerOptions {
  /** Verified tokens remembered, so one sent again is not verified again (default 1000; 0: none). */
  cachedTokens?: number
  /** The clock, in ms since the epoch (tests move it). */
  now?: () => number
}

/** Enough for every virtual user of a large local load test to keep its token cached. */
const DEFAULT_CACHED_TOKENS = 1000

export type AuthorizerDecision =
  | { allowed: true; claims: Record<string, string>; scopes: string[] }
  | { allowed: false; statusCode: 401 | 403; wwwAuthenticate: string }

/**
 * Decides a request as an HTTP API JWT authorizer does: the token (with or without `Bearer `)
 * must be signed by a key of the issuer's JWKS (RSA), name the issuer, carry an allowed `aud`
 * (or, without `aud`, `client_id`), be within exp/nbf/iat; and when the route lists scopes, the
 * token's `scope` or `scp` must hold one of them. A bad token is a 401, a missing scope a 403,
 * each with the `www-authenticate` header API Gateway sends. A token that verified is remembered
 * (see VerifiedTokens): sent again, only its expiry is checked.
 */
export function createJwtAuthorizer(
  config: JwtAuthorizerConfig,
  options: JwtAuthorizerOptions = {},
) {
  const keys = createLocalJWKSet(config.jwks)
  const now = options.now ?? Date.now
  const verified = new VerifiedTokens(options.cachedTokens ?? DEFAULT_CACHED_TOKENS)

  async function verify(token: string): Promise<RememberedToken | string> {
    let payload: JWTPayload
    try {
      payload = (
        await jwtVerify(token, keys, {
          issuer: config.issuer,
          algorithms: ['RS256', 'RS384', 'RS512'],
          currentDate: new Date(now()),
        })
      ).payload
    } catch (error) {
      return describeFailure(error)
    }
    if (!audienceMatches(payload, config.audiences)) {
      return 'the token does not have a valid audience'
    }
    if (typeof payload.iat === 'number' && payload.iat > now() / 1000 + 1) {
      return 'the token was issued in the future'
    }
    return {
      claims: stringClaims(payload),
      scopes: scopesOf(payload),
      expiresAtSeconds: payload.exp,
    }
  }

  return async function authorize(
    authorization: string | undefined,
    requiredScopes: readonly string[],
  ): Promise<AuthorizerDecision> {
    const token = authorization?.replace(/^Bearer\s+/i, '').trim()
    if (!token) return refuse(401, 'invalid_token', 'the token is missing')
    const known = verified.get(token, now() / 1000) ?? (await verify(token))
    if (typeof known === 'string') return refuse(401, 'invalid_token', known)
    verified.set(token, known)
    const { claims, scopes } = known
    if (requiredScopes.length > 0 && !requiredScopes.some((scope) => scopes.includes(scope))) {
      return refuse(
        403,
        'insufficient_scope',
        'the token does not have a required scope',
        requiredScopes,
      )
    }
    return { allowed: true, claims, scopes }
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
