import { isDeepStrictEqual } from 'node:util'
import { dynamoDbError } from './errors.js'

/** How long DynamoDB remembers a ClientRequestToken. */
export const TOKEN_LIFETIME_MS = 10 * 60 * 1000

interface Remembered {
  request: unknown
  response: Record<string, unknown>
  expiresAtMs: number
}

/**
 * TransactWriteItems idempotency: a token seen again within its lifetime with the same request
 * returns the first answer without writing again; with a different request it is an error.
 */
export class IdempotencyTokens {
  private readonly byToken = new Map<string, Remembered>()

  constructor(private readonly nowMs: () => number = Date.now) {}

  lookup(token: string | undefined, request: unknown): Record<string, unknown> | undefined {
    if (token === undefined) return undefined
    this.forgetExpired()
    const remembered = this.byToken.get(token)
    if (!remembered) return undefined
    if (!isDeepStrictEqual(remembered.request, request)) {
      throw dynamoDbError(
        'IdempotentParameterMismatchException',
        'The request uses the same client token as a previous, but non-identical request.',
      )
    }
    return remembered.response
  }

  remember(token: string | undefined, request: unknown, response: Record<string, unknown>): void {
    if (token === undefined) return
    this.byToken.set(token, {
      request: structuredClone(request),
      response,
      expiresAtMs: this.nowMs() + TOKEN_LIFETIME_MS,
    })
  }

  private forgetExpired(): void {
    const now = this.nowMs()
    for (const [token, remembered] of this.byToken) {
      if (remembered.expiresAtMs <= now) this.byToken.delete(token)
    }
  }
}
