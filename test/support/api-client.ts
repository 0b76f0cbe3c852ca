/** A response as the contract tests look at it. */
export interface ApiResult {
  status: number
  headers: Record<string, string>
  /**
   * The parsed JSON body, or the raw text when it is not JSON. Tests read into it freely and let
   * the assertions catch a wrong shape.
   */
  // biome-ignore lint/suspicious/noExplicitAny: response bodies are checked by assertions, not types
  body: any
}

export interface RequestOptions {
  /** A value to send as JSON, or a string sent as it is. */
  body?: unknown
  headers?: Record<string, string>
}

/** Whatever serves the API in a test: a function handler in-process, or the local cloud over HTTP. */
export interface ApiClient {
  request(method: string, path: string, options?: RequestOptions): Promise<ApiResult>
}

export function encodeBody(body: unknown): string | undefined {
  if (body === undefined) return undefined
  return typeof body === 'string' ? body : JSON.stringify(body)
}

export function parseBody(text: string): unknown {
  try {
    return text === '' ? undefined : JSON.parse(text)
  } catch {
    return text
  }
}

/** Talks to a base URL over real HTTP with fetch. */
export function httpClient(baseUrl: string): ApiClient {
  return {
    async request(method, path, options = {}) {
      const body = encodeBody(options.body)
      const response = await fetch(`${baseUrl}${path}`, {
        method,
        headers: {
          ...(body === undefined ? {} : { 'content-type': 'application/json' }),
          ...options.headers,
        },
        ...(body === undefined ? {} : { body }),
      })
      const headers: Record<string, string> = {}
      response.headers.forEach((value, name) => {
        headers[name] = value
      })
      return { status: response.status, headers, body: parseBody(await response.text()) }
    },
  }
}

/** The client with a bearer token on every request that does not set its own Authorization. */
export function withBearer(client: ApiClient, token: string): ApiClient {
  return {
    request: (method, path, options = {}) =>
      client.request(method, path, {
        ...options,
        headers: { authorization: `Bearer ${token}`, ...options.headers },
      }),
  }
}
