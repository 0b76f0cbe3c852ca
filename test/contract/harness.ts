import type { ApiClient } from '../support/api-client.js'
import type { TestTokens } from '../support/tokens.js'

/** What a contract run needs: a client for the API, tokens it trusts, and views of its insides. */
export interface ContractHarness {
  /** Sends exactly what it is given: no token unless a test adds one. */
  client: ApiClient
  /** Every item in the table, to prove that a refused request stored nothing. */
  storedItems(): Promise<unknown[]>
  /** Tokens of the issuer this API trusts, and bad ones. */
  tokens: TestTokens
  /**
   * Who answers a request the authorizer refuses: API Gateway (over HTTP, before any function
   * runs) or, in-process where no gateway stands in front, the function's own checks.
   */
  refusedBy: 'gateway' | 'function'
  /** Function invocations so far, to prove that a refused request ran none. */
  invocations(): number
}
