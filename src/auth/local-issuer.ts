import { randomUUID } from 'node:crypto'
import { link, mkdir, readFile, unlink, writeFile } from 'node:fs/promises'
import { dirname, join } from 'node:path'
import { exportJWK, generateKeyPair, importJWK, type JSONWebKeySet, type JWK, SignJWT } from 'jose'
import type { Role } from './roles.js'

/** The local identity provider's names; the local gateway's authorizer trusts exactly these. */
export const LOCAL_ISSUER = 'https://aplus.local/issuer'
export const LOCAL_AUDIENCE = 'aplus-api'

/** HTTP API JWT authorizers verify RSA signatures; RS256 is what identity providers use most. */
const ALGORITHM = 'RS256'
const DEFAULT_TOKEN_LIFETIME_SECONDS = 3600

export interface LocalIssuer {
  issuer: string
  audience: string
  /** The public keys, as a JWKS endpoint would serve them. */
  jwks: JSONWebKeySet
  mint(options: MintOptions): Promise<string>
}

export interface MintOptions {
  role: Role
  /** The token's subject; for a student, the studentId. */
  subject: string
  lifetimeSeconds?: number
  /** Seconds since the epoch; now by default (tests move it). */
  issuedAt?: number
}

/**
 * The development identity provider: an RSA key pair kept in a file, so tokens minted by
 * `aplus token` are accepted by every local cloud started from the same checkout. The file is
 * created on first use and never leaves the machine (`.aplus/` is ignored by git).
 */
export async function openLocalIssuer(keyFile: string): Promise<LocalIssuer> {
  const privateJwk = await loadOrCreateKey(keyFile)
  const { d, p, q, dp, dq, qi, ...publicJwk } = privateJwk
  const privateKey = await importJWK(privateJwk, ALGORITHM)
  return {
    issuer: LOCAL_ISSUER,
    audience: LOCAL_AUDIENCE,
    jwks: { keys: [{ ...publicJwk, use: 'sig', alg: ALGORITHM }] },
    mint: ({ role, subject, lifetimeSeconds = DEFAULT_TOKEN_LIFETIME_SECONDS, issuedAt }) => {
      const now = issuedAt ?? Math.floor(Date.now() / 1000)
      return new SignJWT({ scope: role, token_use: 'access' })
        .setProtectedHeader({ alg: ALGORITHM, kid: privateJwk.kid ?? '' })
        .setIssuer(LOCAL_ISSUER)
        .setAudience(LOCAL_AUDIENCE)
        .setSubject(subject)
        .setIssuedAt(now)
        .setNotBefore(now)
        .setExpirationTime(now + lifetimeSeconds)
        .sign(privateKey)
    },
  }
}

/** Where the local signing key lives in a checkout. */
export function defaultKeyFile(packageRoot: string): string {
  return join(packageRoot, '.aplus', 'jwt', 'signing-key.json')
}

async function loadOrCreateKey(keyFile: string): Promise<JWK> {
  try {
    return JSON.parse(await readFile(keyFile, 'utf8')) as JWK
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error
  }
  const { privateKey } = await generateKeyPair(ALGORITHM, { extractable: true })
  const jwk = { ...(await exportJWK(privateKey)), kid: `aplus-local-${Date.now().toString(36)}` }
  await mkdir(dirname(keyFile), { recursive: true })
  // Written aside, then linked into place: the key file appears whole or not at all, and when
  // another process (a second `aplus token`, `aplus dev`) made one meanwhile, its key wins.
  const draft = `${keyFile}.${randomUUID()}`
  await writeFile(draft, JSON.stringify(jwk), { flag: 'wx', mode: 0o600 })
  try {
    await link(draft, keyFile)
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error
  } finally {
    await unlink(draft)
  }
  return JSON.parse(await readFile(keyFile, 'utf8')) as JWK
}
