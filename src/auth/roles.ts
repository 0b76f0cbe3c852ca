/**
 * Who may do what in the A+ API. A token carries its role as an OAuth scope; a student's token
 * names the student as its subject (`sub` is the studentId).
 */
export const ROLES = ['instructor', 'student'] as const
export type Role = (typeof ROLES)[number]

export function isRole(name: string): name is Role {
  return (ROLES as readonly string[]).includes(name)
}

/** The identity a verified token gives a request: what handlers see, never the raw token. */
export interface Identity {
  subject: string
  roles: Role[]
}

/**
 * Identity providers may name scopes with a prefix: a Cognito resource server `aplus` issues
 * `aplus/instructor`. The deployment tells its functions the prefix in this variable (empty or
 * unset: the scopes are the role names, as the local issuer mints them).
 */
export const SCOPE_PREFIX_VARIABLE = 'APLUS_SCOPE_PREFIX'

/** The scope a token must carry for a role, e.g. `aplus/instructor` with prefix `aplus/`. */
export function scopeName(role: Role, prefix = ''): string {
  return `${prefix}${role}`
}

/**
 * The roles a token's scopes grant: exactly `<prefix><role>`, nothing looser, so a scope of
 * another resource server that happens to end in `/instructor` grants nothing.
 */
export function rolesOf(scopes: readonly string[], prefix = ''): Role[] {
  return ROLES.filter((role) => scopes.includes(scopeName(role, prefix)))
}

/** The environment variables a deployment gives its functions for a scope prefix. */
export function authEnvironment(scopePrefix: string): Record<string, string> {
  return scopePrefix === '' ? {} : { [SCOPE_PREFIX_VARIABLE]: scopePrefix }
}
