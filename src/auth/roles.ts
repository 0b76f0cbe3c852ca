/**
 * Who may do what in the A+ API. A token carries one role as an OAuth scope; a student's token
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

/** The roles a token's scopes grant (space-separated `scope`, or a `scp` list). */
export function rolesOf(scopes: readonly string[]): Role[] {
  return scopes.filter(isRole)
}
