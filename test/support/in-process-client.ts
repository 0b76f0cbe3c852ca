import type { APIGatewayProxyEventV2 } from 'aws-lambda'
import { newId } from '../../src/api/ids.js'
import { createLogger } from '../../src/api/logger.js'
import { ROUTES, routeKey } from '../../src/api/routes.js'
import type { HandlerContext } from '../../src/api/types.js'
import { createJwtAuthorizer, type JwtAuthorizerConfig } from '../../src/auth/jwt-authorizer.js'
import { createFunctionHandler } from '../../src/lambda/function-handler.js'
import {
  authorizationHeader,
  protectedRoutes,
  withJwtClaims,
} from '../../src/local/gateway/authorization.js'
import { buildHttpApiEvent } from '../../src/local/gateway/http-api-event.js'
import { fromLambdaResult } from '../../src/local/gateway/lambda-response.js'
import { RouteMatcher } from '../../src/local/gateway/route-matcher.js'
import { createStore } from '../../src/store/index.js'
import { functionsOf, type Topology } from '../../src/topology/topologies.js'
import { type ApiClient, encodeBody, parseBody } from './api-client.js'
import type { LocalTable } from './local-table.js'
import { ownedRoutes } from './owned-routes.js'

export interface InProcessClient extends ApiClient {
  /** Calls of any function's handler so far. */
  invocations(): number
}

/**
 * Serves the API by calling each topology function's Lambda handler, built from source, with
 * the payload 2.0 event API Gateway would send: what a function entry does, without bundling or
 * HTTP. Each function gets its own handler context, as separate functions would.
 *
 * It plays the JWT authorizer's part with the same authorizer the local gateway runs: on a
 * protected route a token that verifies puts its claims into the event, as the gateway does. It
 * checks the token only, not the route's scopes, and passes a refused token on as no claims: the
 * function's own checks (401, 403) then answer, which is what this harness exists to test. The
 * gateway's refusals are tested through the local cloud.
 */
export function inProcessClient(
  topology: Topology,
  table: LocalTable,
  authorizer: JwtAuthorizerConfig,
): InProcessClient {
  const matcher = new RouteMatcher(ROUTES)
  const authorize = createJwtAuthorizer(authorizer)
  const guarded = protectedRoutes(ROUTES)
  const handlers = new Map<string, ReturnType<typeof createFunctionHandler>>()
  for (const fn of functionsOf(topology)) {
    const handler = createFunctionHandler(ownedRoutes(fn.routes), contextFor(table), {
      scopePrefix: '',
    })
    for (const route of fn.routes) handlers.set(routeKey(route), handler)
  }
  let invocations = 0

  async function withClaims(event: APIGatewayProxyEventV2, rawHeaders: string[]) {
    if (!guarded.has(event.routeKey)) return event
    const decision = await authorize(authorizationHeader(rawHeaders), [])
    return decision.allowed ? withJwtClaims(event, decision) : event
  }

  return {
    invocations: () => invocations,
    async request(method, path, options = {}) {
      const match = matcher.match(method, path.split('?')[0] ?? '/')
      if (!match) throw new Error(`no route for ${method} ${path}`)
      const body = encodeBody(options.body)
      const headers = {
        ...(body === undefined ? {} : { 'content-type': 'application/json' }),
        ...options.headers,
      }
      const rawHeaders = Object.entries(headers).flat()
      const event = buildHttpApiEvent(
        { method, url: path, rawHeaders, body: Buffer.from(body ?? ''), sourceIp: '127.0.0.1' },
        match,
      )
      const handler = handlers.get(match.routeKey)
      if (!handler) throw new Error(`no function owns ${match.routeKey}`)
      invocations += 1
      const response = fromLambdaResult(await handler(await withClaims(event, rawHeaders)))
      const responseHeaders: Record<string, string> = {}
      for (const [name, value] of Object.entries(response.headers))
        responseHeaders[name] = String(value)
      return {
        status: response.statusCode,
        headers: responseHeaders,
        body: parseBody(response.body.toString()),
      }
    },
  }
}

function contextFor(table: LocalTable): HandlerContext {
  return {
    store: createStore({ db: table.db, tableName: table.tableName }),
    log: createLogger('error'),
    now: () => new Date(),
    newId,
  }
}
