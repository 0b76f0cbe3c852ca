import type { CloudAuth } from './cloud-auth.js'

/** Request headers for a load: one set for set-up and verification, one per virtual user. */
export interface LoadCredentials {
  headers: Record<string, string>
  userHeaders: Record<string, string>[]
}

/**
 * Lets a load run on the local cloud as instructors, who may do everything the workloads do:
 * a token for set-up and verification, and one per virtual user, as separate people would have.
 * Empty when the cloud trusts another issuer, whose tokens only that issuer can mint.
 */
export async function instructorCredentials(
  auth: CloudAuth,
  users: number,
  lifetimeSeconds?: number,
): Promise<LoadCredentials> {
  const issuer = auth.localIssuer
  if (!issuer) return { headers: {}, userHeaders: [] }
  const bearer = async (subject: string) => ({
    authorization: `Bearer ${await issuer.mint({ role: 'instructor', subject, ...(lifetimeSeconds === undefined ? {} : { lifetimeSeconds }) })}`,
  })
  const userHeaders = await Promise.all(
    Array.from({ length: Math.max(1, users) }, (_, index) => bearer(`instructor-vu-${index + 1}`)),
  )
  return { headers: await bearer('instructor-load'), userHeaders }
}
