import { mkdtemp, readFile, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { importJWK, type JWTPayload, SignJWT } from 'jose'
import { type LocalIssuer, openLocalIssuer } from '../../src/auth/local-issuer.js'
import type { Role } from '../../src/auth/roles.js'

/** Tokens for tests: good ones from a throwaway local issuer, and every kind of bad one. */
export interface TestTokens {
  /** The issuer's key file: give it to the local cloud (`jwtKeyFile`) so it trusts these. */
  keyFile: string
  issuer: LocalIssuer
  /** An instructor's token, valid for an hour. */
  instructor: string
  mint(role: Role, subject: string): Promise<string>
  /** Expired an hour ago. */
  expired(role: Role, subject: string): Promise<string>
  /** Signed by another key that claims the same issuer name. */
  forged(role: Role, subject: string): Promise<string>
  /** A good token with its signature altered. */
  badSignature(role: Role, subject: string): Promise<string>
  /** Signed by the trusted key, for another audience. */
  otherAudience(role: Role, subject: string): Promise<string>
  /** A token of the role, with claims replaced, signed by the trusted key. */
  custom(role: Role, subject: string, claims: JWTPayload): Promise<string>
  close(): Promise<void>
}

export async function openTestTokens(): Promise<TestTokens> {
  const directory = await mkdtemp(join(tmpdir(), 'aplus-tokens-'))
  const keyFile = join(directory, 'signing-key.json')
  const issuer = await openLocalIssuer(keyFile)
  const stranger = await openLocalIssuer(join(directory, 'stranger-key.json'))
  const mint = (role: Role, subject: string) => issuer.mint({ role, subject })

  async function resigned(token: string, overrides: JWTPayload): Promise<string> {
    const [, payload = ''] = token.split('.')
    const claims = { ...JSON.parse(Buffer.from(payload, 'base64url').toString()), ...overrides }
    const jwk = JSON.parse(await readFile(keyFile, 'utf8'))
    return new SignJWT(claims)
      .setProtectedHeader({ alg: 'RS256', kid: jwk.kid })
      .sign(await importJWK(jwk, 'RS256'))
  }

  return {
    keyFile,
    issuer,
    instructor: await mint('instructor', 'instructor-contract'),
    mint,
    expired: (role, subject) =>
      issuer.mint({
        role,
        subject,
        issuedAt: Math.floor(Date.now() / 1000) - 7200,
        lifetimeSeconds: 3600,
      }),
    forged: (role, subject) => stranger.mint({ role, subject }),
    async badSignature(role, subject) {
      const [header, payload, signature = ''] = (await mint(role, subject)).split('.')
      const flipped = signature.startsWith('A')
        ? `B${signature.slice(1)}`
        : `A${signature.slice(1)}`
      return `${header}.${payload}.${flipped}`
    },
    otherAudience: async (role, subject) =>
      resigned(await mint(role, subject), { aud: 'someone-else' }),
    custom: async (role, subject, claims) => resigned(await mint(role, subject), claims),
    close: () => rm(directory, { recursive: true, force: true }),
  }
}
