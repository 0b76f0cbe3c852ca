import { importJWK, type JSONWebKeySet } from 'jose'
import { createJwtAuthorizer } from '../auth/jwt-authorizer.js'
import { defaultKeyFile, type LocalIssuer, openLocalIssuer } from '../auth/local-issuer.js'
import { PACKAGE_ROOT } from '../topology/bundle.js'
import type { GatewayAuthorizer } from './gateway/authorization.js'
import { type AuthorizerSettings, CloudConfigError } from './settings.js'

/** Whom the local cloud's gateway trusts, and how a test or tool gets a token it accepts. */
export interface CloudAuth {
  readonly issuer: string
  readonly audiences: readonly string[]
  /** Put before role names in scopes (`aplus/instructor`); empty for the local issuer. */
  readonly scopePrefix: string
  /** The local issuer when the gateway trusts it: `localIssuer.mint({ role, subject })`. */
  readonly localIssuer: LocalIssuer | undefined
  readonly gatewayAuthorizer: GatewayAuthorizer
}

/**
 * Opens the gateway's JWT authorizer: another issuer's when the settings name one, otherwise the
 * local issuer with its key in `keyFile` (by default the checkout's `.aplus/jwt`, shared with
 * `aplus token`).
 */
export async function openCloudAuth(
  settings: AuthorizerSettings | undefined,
  keyFile: string = defaultKeyFile(PACKAGE_ROOT),
): Promise<CloudAuth> {
  if (settings) {
    await checkVerificationKeys(settings.jwks as JSONWebKeySet)
    const config = {
      issuer: settings.issuer,
      audiences: settings.audiences,
      jwks: settings.jwks as JSONWebKeySet,
    }
    const scopePrefix = settings.scopePrefix ?? ''
    return {
      ...config,
      scopePrefix,
      localIssuer: undefined,
      gatewayAuthorizer: { authorize: createJwtAuthorizer(config), scopePrefix },
    }
  }
  const localIssuer = await openLocalIssuer(keyFile)
  const config = {
    issuer: localIssuer.issuer,
    audiences: [localIssuer.audience],
    jwks: localIssuer.jwks,
  }
  return {
    ...config,
    scopePrefix: '',
    localIssuer,
    gatewayAuthorizer: { authorize: createJwtAuthorizer(config) },
  }
}

/**
 * HTTP API JWT authorizers verify RSA signatures only. Every key is imported now, so a bad key
 * stops the start with its index instead of refusing every token later.
 */
async function checkVerificationKeys(jwks: JSONWebKeySet): Promise<void> {
  for (const [index, key] of jwks.keys.entries()) {
    const where = `gateway.authorizer.jwks.keys[${index}]`
    if (key.kty !== 'RSA') {
      throw new CloudConfigError(
        `${where}: API Gateway's JWT authorizer verifies RSA keys only; got kty '${String(key.kty)}'`,
      )
    }
    if ('d' in key) {
      throw new CloudConfigError(`${where} is a private key; give the issuer's public keys only`)
    }
    try {
      if (!isFilled(key.n) || !isFilled(key.e)) throw new Error('n and e must be base64url text')
      await importJWK(key, 'RS256')
    } catch (error) {
      throw new CloudConfigError(`${where} is not a usable RSA key: ${(error as Error).message}`, {
        cause: error,
      })
    }
  }
}

const isFilled = (value: unknown) => typeof value === 'string' && value !== ''
