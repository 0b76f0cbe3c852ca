import { InfraConfigError } from './errors.js'

/**
 * Who issues the tokens the deployed API trusts. By default the stack creates a Cognito user
 * pool of its own; `-c jwtIssuer=… -c jwtAudience=…` names any other OIDC issuer instead.
 */
export type IdentitySettings =
  | { readonly provider: 'cognito' }
  | {
      readonly provider: 'oidc'
      /** The issuer URL, exactly as tokens name it in `iss` (https). */
      readonly issuer: string
      /** Accepted `aud` (or, without `aud`, `client_id`) values. */
      readonly audiences: readonly string[]
      /** Put before each role to make the scope this issuer grants; empty by default. */
      readonly scopePrefix: string
    }

export const IDENTITY_CONTEXT_KEYS = {
  issuer: 'jwtIssuer',
  audience: 'jwtAudience',
  scopePrefix: 'jwtScopePrefix',
} as const

/** The user pool's resource server: its scopes are `aplus/instructor` and `aplus/student`. */
export const COGNITO_RESOURCE_SERVER = 'aplus'

/** The prefix before role names in the scopes of the deployment's tokens. */
export function scopePrefixOf(identity: IdentitySettings): string {
  return identity.provider === 'cognito' ? `${COGNITO_RESOURCE_SERVER}/` : identity.scopePrefix
}

/** Reads the identity provider from context; every bad value names its key. */
export function identityFromContext(contextValue: (key: string) => unknown): IdentitySettings {
  const issuer = text(contextValue, IDENTITY_CONTEXT_KEYS.issuer)
  const audience = text(contextValue, IDENTITY_CONTEXT_KEYS.audience)
  const scopePrefix = text(contextValue, IDENTITY_CONTEXT_KEYS.scopePrefix)
  if (issuer === undefined) {
    const stray =
      audience !== undefined ? 'audience' : scopePrefix !== undefined ? 'scopePrefix' : undefined
    if (stray) {
      throw new InfraConfigError(
        `context '${IDENTITY_CONTEXT_KEYS[stray]}' needs '${IDENTITY_CONTEXT_KEYS.issuer}' too; without an issuer the stack creates its own Cognito user pool`,
      )
    }
    return { provider: 'cognito' }
  }
  if (!isHttpsUrl(issuer)) {
    throw new InfraConfigError(
      `context '${IDENTITY_CONTEXT_KEYS.issuer}' must be an https URL (API Gateway fetches the issuer's keys from it); got '${issuer}'`,
    )
  }
  const audiences = (audience ?? '')
    .split(',')
    .map((value) => value.trim())
    .filter(Boolean)
  if (audiences.length === 0) {
    throw new InfraConfigError(
      `context '${IDENTITY_CONTEXT_KEYS.audience}' is required with '${IDENTITY_CONTEXT_KEYS.issuer}': the audiences (or client ids) to accept, comma-separated`,
    )
  }
  return { provider: 'oidc', issuer, audiences, scopePrefix: scopePrefix ?? '' }
}

function text(contextValue: (key: string) => unknown, key: string): string | undefined {
  const value = contextValue(key)
  if (value === undefined || value === '') return undefined
  if (typeof value !== 'string') {
    throw new InfraConfigError(`context '${key}' must be a string; got ${JSON.stringify(value)}`)
  }
  return value.trim()
}

function isHttpsUrl(value: string): boolean {
  try {
    return new URL(value).protocol === 'https:'
  } catch {
    return false
  }
}
