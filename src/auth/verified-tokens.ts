/** What verifying a token established, kept so the same token is not verified again. */
export interface RememberedToken {
  claims: Record<string, string>
  scopes: string[]
  /** `exp` in seconds since the epoch, when the token has one. */
  expiresAtSeconds: number | undefined
}

/**
 * Tokens that verified, by their text, oldest dropped first past `capacity`. A token's signature,
 * issuer and audience cannot change, and a token valid once is past its `nbf` for good: only
 * `exp` is checked again, by `get`. A client sends the same token for an hour, so the RS256
 * verification (tens of microseconds of the local machine's CPU, which on AWS is API Gateway's
 * and not the functions') is done once per token instead of once per request.
 */
export class VerifiedTokens {
  readonly #entries = new Map<string, RememberedToken>()

  constructor(readonly capacity: number) {}

  /** The token's verified claims; undefined when unknown or expired (and then forgotten). */
  get(token: string, nowSeconds: number): RememberedToken | undefined {
    const entry = this.#entries.get(token)
    if (!entry) return undefined
    if (entry.expiresAtSeconds !== undefined && entry.expiresAtSeconds <= nowSeconds) {
      this.#entries.delete(token)
      return undefined
    }
    return entry
  }

  set(token: string, entry: RememberedToken): void {
    if (this.capacity === 0) return
    this.#entries.delete(token)
    this.#entries.set(token, entry)
    if (this.#entries.size > this.capacity) {
      const [oldest] = this.#entries.keys()
      if (oldest !== undefined) this.#entries.delete(oldest)
    }
  }

  get size(): number {
    return this.#entries.size
  }
}
