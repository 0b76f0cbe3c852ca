import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { SignJWT } from 'jose'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createJwtAuthorizer } from '../../src/auth/jwt-authorizer.js'
import { type LocalIssuer, openLocalIssuer } from '../../src/auth/local-issuer.js'

let directory: string
let issuer: LocalIssuer
let stranger: LocalIssuer
let authorize: ReturnType<typeof createJwtAuthorizer>

beforeAll(async () => {
  directory = await mkdtemp(join(tmpdir(), 'aplus-jwt-'))
  issuer = await openLocalIssuer(join(directory, 'key.json'))
  stranger = await openLocalIssuer(join(directory, 'other-key.json'))
  authorize = createJwtAuthorizer({
    issuer: issuer.issuer,
    audiences: [issuer.audience],
    jwks: issuer.jwks,
  })
})

afterAll(() => rm(directory, { recursive: true, force: true }))

const now = () => Math.floor(Date.now() / 1000)

describe('the HTTP API JWT authorizer', () => {
  it('allows a valid token with a route scope, with or without Bearer, and passes its claims', async () => {
    const token = await issuer.mint({ role: 'student', subject: 'stu_aaaaaaaaaaaaaaaa' })
    for (const header of [`Bearer ${token}`, token]) {
      const decision = await authorize(header, ['student', 'instructor'])
      expect(decision).toMatchObject({ allowed: true, scopes: ['student'] })
      if (decision.allowed) expect(decision.claims.sub).toBe('stu_aaaaaaaaaaaaaaaa')
    }
  })

  it('answers 403 with insufficient_scope when the token lacks every route scope', async () => {
    const token = await issuer.mint({ role: 'student', subject: 'stu_aaaaaaaaaaaaaaaa' })
    const decision = await authorize(`Bearer ${token}`, ['instructor'])
    expect(decision).toMatchObject({ allowed: false, statusCode: 403 })
    if (!decision.allowed) expect(decision.wwwAuthenticate).toContain('error="insufficient_scope"')
  })

  it.each([
    ['no header', async () => undefined, 'the token is missing'],
    ['garbage', async () => 'Bearer not.a.jwt', 'the token is not a valid JWT'],
    [
      'an expired token',
      async () =>
        issuer.mint({
          role: 'instructor',
          subject: 'i',
          issuedAt: now() - 7200,
          lifetimeSeconds: 60,
        }),
      'the token has expired',
    ],
    [
      'a token from another key',
      async () => stranger.mint({ role: 'instructor', subject: 'i' }),
      'no key of the issuer signed the token',
    ],
    [
      'a token for another audience',
      async () => signWithIssuerKey({ aud: 'someone-else' }),
      'the token does not have a valid audience',
    ],
    [
      'a token from another issuer name',
      async () => signWithIssuerKey({ iss: 'https://evil.example' }),
      "the token's iss claim is not valid",
    ],
    [
      'a token not valid yet',
      async () => signWithIssuerKey({ nbf: now() + 600 }),
      "the token's nbf claim is not valid",
    ],
    ['an unsigned token', async () => unsignedToken(), 'the token is not a valid JWT'],
  ])('answers 401 with invalid_token to %s', async (_, token, description) => {
    const decision = await authorize(await token(), [])
    expect(decision).toMatchObject({ allowed: false, statusCode: 401 })
    if (!decision.allowed) {
      expect(decision.wwwAuthenticate).toContain('error="invalid_token"')
      expect(decision.wwwAuthenticate).toContain(description)
    }
  })
})

/** A token signed with the trusted key but with claims the authorizer must refuse. */
async function signWithIssuerKey(overrides: { aud?: string; iss?: string; nbf?: number }) {
  const good = await issuer.mint({ role: 'instructor', subject: 'i' })
  const [, payload = ''] = good.split('.')
  const claims = { ...JSON.parse(Buffer.from(payload, 'base64url').toString()), ...overrides }
  const { importJWK } = await import('jose')
  const { readFile } = await import('node:fs/promises')
  const jwk = JSON.parse(await readFile(join(directory, 'key.json'), 'utf8'))
  return new SignJWT(claims)
    .setProtectedHeader({ alg: 'RS256', kid: jwk.kid })
    .sign(await importJWK(jwk, 'RS256'))
}

function unsignedToken(): string {
  const part = (value: object) => Buffer.from(JSON.stringify(value)).toString('base64url')
  return `${part({ alg: 'none' })}.${part({ iss: issuer.issuer, aud: issuer.audience, sub: 'i', scope: 'instructor', exp: now() + 60 })}.`
}
