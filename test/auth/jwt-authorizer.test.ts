import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { SignJWT } from 'jose'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createJwtAuthorizer } from '../../src/auth/jwt-authorizer.js'
import { type LocalIssuer, openLocalIssuer } from '../../src/auth/local-issuer.js'
import { VerifiedTokens } from '../../src/auth/verified-tokens.js'

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

describe('the authorizer remembering verified tokens', () => {
  it('keeps checking the scope of a remembered token', async () => {
    const token = await issuer.mint({ role: 'student', subject: 'stu_aaaaaaaaaaaaaaaa' })
    expect(await authorize(`Bearer ${token}`, ['student'])).toMatchObject({ allowed: true })
    expect(await authorize(`Bearer ${token}`, ['instructor'])).toMatchObject({
      allowed: false,
      statusCode: 403,
    })
  })

  it('refuses a remembered token once it has expired', async () => {
    let nowMs = Date.now()
    const clocked = createJwtAuthorizer(
      { issuer: issuer.issuer, audiences: [issuer.audience], jwks: issuer.jwks },
      { now: () => nowMs },
    )
    const token = await issuer.mint({
      role: 'instructor',
      subject: 'i',
      issuedAt: Math.floor(nowMs / 1000),
      lifetimeSeconds: 60,
    })
    expect(await clocked(token, ['instructor'])).toMatchObject({ allowed: true })
    nowMs += 30_000
    expect(await clocked(token, ['instructor'])).toMatchObject({ allowed: true })
    nowMs += 31_000
    const late = await clocked(token, ['instructor'])
    expect(late).toMatchObject({ allowed: false, statusCode: 401 })
    if (!late.allowed) expect(late.wwwAuthenticate).toContain('the token has expired')
  })
})

describe('the verified-token memory', () => {
  const entry = (expiresAtSeconds?: number) => ({ claims: {}, scopes: [], expiresAtSeconds })

  it('forgets the oldest token past its capacity, and keeps nothing at capacity 0', () => {
    const tokens = new VerifiedTokens(2)
    tokens.set('a', entry())
    tokens.set('b', entry())
    tokens.set('a', entry())
    tokens.set('c', entry())
    expect([tokens.get('a', 0), tokens.get('b', 0), tokens.get('c', 0)]).toEqual([
      entry(),
      undefined,
      entry(),
    ])
    const none = new VerifiedTokens(0)
    none.set('a', entry())
    expect(none.size).toBe(0)
  })

  it('forgets a token at its expiry', () => {
    const tokens = new VerifiedTokens(10)
    tokens.set('a', entry(100))
    expect(tokens.get('a', 99.5)).toEqual(entry(100))
    expect(tokens.get('a', 100)).toBeUndefined()
    expect(tokens.size).toBe(0)
  })
})

describe('the local issuer key file', () => {
  it('is one key when many issuers open it at once, and stays private', async () => {
    const keyFile = join(directory, 'raced', 'key.json')
    const opened = await Promise.all(Array.from({ length: 8 }, () => openLocalIssuer(keyFile)))
    const kids = new Set(opened.map((opener) => opener.jwks.keys[0]?.kid))
    expect(kids.size).toBe(1)
    const { stat, readdir } = await import('node:fs/promises')
    expect((await stat(keyFile)).mode & 0o777).toBe(0o600)
    expect(await readdir(join(directory, 'raced'))).toEqual(['key.json'])
  })
})
