import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { exportJWK, generateKeyPair, type JWK, SignJWT } from 'jose'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { type LocalCloud, startLocalCloud } from '../../src/local/cloud.js'
import { openCloudAuth } from '../../src/local/cloud-auth.js'
import type { AuthorizerSettings } from '../../src/local/settings.js'
import { invocationsOf } from '../contract/local-cloud-harness.js'
import { openTestTokens, type TestTokens } from '../support/tokens.js'

/** Another OIDC issuer, like a Cognito user pool: its scopes carry a resource server prefix. */
const ISSUER = 'https://idp.example.test/pool-1'
const AUDIENCE = 'client-abc'

let privateKey: Awaited<ReturnType<typeof generateKeyPair>>['privateKey']
let publicJwk: JWK
let buildDir: string
let cloud: LocalCloud
let tokens: TestTokens

function sign(claims: Record<string, unknown>): Promise<string> {
  const now = Math.floor(Date.now() / 1000)
  return new SignJWT({ client_id: AUDIENCE, token_use: 'access', ...claims })
    .setProtectedHeader({ alg: 'RS256', kid: 'idp-key-1' })
    .setIssuer(ISSUER)
    .setIssuedAt(now)
    .setExpirationTime(now + 600)
    .sign(privateKey)
}

const settings = (): AuthorizerSettings => ({
  issuer: ISSUER,
  audiences: [AUDIENCE],
  jwks: { keys: [{ ...publicJwk }] },
  scopePrefix: 'aplus/',
})

beforeAll(async () => {
  const pair = await generateKeyPair('RS256', { extractable: true })
  privateKey = pair.privateKey
  publicJwk = { ...(await exportJWK(pair.publicKey)), kid: 'idp-key-1', alg: 'RS256' }
  buildDir = await mkdtemp(join(tmpdir(), 'aplus-build-'))
  tokens = await openTestTokens()
  cloud = await startLocalCloud({
    topology: 'monolith',
    buildDir,
    jwtKeyFile: tokens.keyFile,
    config: { lambda: { coldStartDelayMs: 0 }, gateway: { authorizer: settings() } },
  })
})

afterAll(async () => {
  await cloud?.close()
  await tokens?.close()
  await rm(buildDir, { recursive: true, force: true })
})

async function createCourse(authorization: string) {
  return fetch(`${cloud.url}/courses`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization },
    body: JSON.stringify({ title: 'Optics', capacity: 4 }),
  })
}

describe('a local cloud trusting another OIDC issuer', () => {
  it("accepts the issuer's access tokens, Cognito style: client_id for audience, prefixed scopes", async () => {
    expect(cloud.auth).toMatchObject({ issuer: ISSUER, scopePrefix: 'aplus/' })
    expect(cloud.auth.localIssuer).toBeUndefined()
    const token = await sign({ sub: 'instructor-7', scope: 'aplus/instructor' })
    const response = await createCourse(`Bearer ${token}`)
    expect(response.status).toBe(201)
  })

  it("refuses the local issuer's tokens and another resource server's scopes, invoking nothing", async () => {
    const before = invocationsOf(cloud)
    expect((await createCourse(`Bearer ${tokens.instructor}`)).status).toBe(401)
    const foreign = await sign({ sub: 'instructor-7', scope: 'other/instructor instructor' })
    expect((await createCourse(`Bearer ${foreign}`)).status).toBe(403)
    expect(invocationsOf(cloud)).toBe(before)
  })
})

describe('the JWT authorizer settings', () => {
  it.each([
    [{ kty: 'EC', crv: 'P-256', x: 'AA', y: 'AA' }, "verifies RSA keys only; got kty 'EC'"],
    [{ kty: 'RSA', n: 'AQAB', e: 'AQAB', d: 'AQAB' }, 'is a private key'],
    [{ kty: 'RSA', n: '', e: '' }, 'is not a usable RSA key: n and e must be base64url text'],
    [{ kty: 'RSA', n: 'abc' }, 'is not a usable RSA key'],
  ])('refuse an unusable key %j before starting, naming it', async (key, message) => {
    const refused = openCloudAuth({ ...settings(), jwks: { keys: [{ ...publicJwk }, key] } })
    await expect(refused).rejects.toThrow(`gateway.authorizer.jwks.keys[1]`)
    await expect(refused).rejects.toThrow(message)
  })
})
