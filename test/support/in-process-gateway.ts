import { newId } from '../../src/api/ids.js'
import { createLogger } from '../../src/api/logger.js'
import { ROUTES, routeKey } from '../../src/api/routes.js'
import { createJwtAuthorizer, type JwtAuthorizerConfig } from '../../src/auth/jwt-authorizer.js'
import { createFunctionHandler } from '../../src/lambda/function-handler.js'
import { refusalResponse } from '../../src/local/gateway/api-errors.js'
import {
  authorizationHeader,
  protectedRoutes,
  withJwtClaims,
  withRestClaims,
} from '../../src/local/gateway/authorization.js'
import { buildHttpApiEvent } from '../../src/local/gateway/http-api-event.js'
import { httpApiResponse, restApiResponse } from '../../src/local/gateway/lambda-response.js'
import { buildRestApiEvent } from '../../src/local/gateway/rest-api-event.js'
import { MalformedPathError, RouteMatcher } from '../../src/local/gateway/route-matcher.js'
import { createStore } from '../../src/store/index.js'
import { functionsOf, type Topology } from '../../src/topology/topologies.js'
import type { HostileRequest } from './hostile-api.js'
import type { LocalTable } from './local-table.js'
import { ownedRoutes } from './owned-routes.js'

export interface InProcessAnswer {
  status: number
  headers: Record<string, string>
  text: string
  json: unknown
}

/**
 * The gateway's part without its server: route a raw request, build the payload 2.0 or 1.0
 * event, cross the runtime's JSON boundary, call the function entry that owns the route (each
 * function with its own handler context) and map the result back as API Gateway does. It lets
 * property suites send thousands of requests through the real function entries in seconds.
 *
 * On a protected route a token that verifies puts its claims into the event, as the gateway's
 * JWT authorizer does; a refused one passes on as no claims and the function answers 401.
 */
export function inProcessGateway(
  topology: Topology,
  table: LocalTable,
  authorizer: JwtAuthorizerConfig,
) {
  const matcher = new RouteMatcher(ROUTES)
  const authorize = createJwtAuthorizer(authorizer)
  const guarded = protectedRoutes(ROUTES)
  const handlers = new Map<string, ReturnType<typeof createFunctionHandler>>()
  for (const fn of functionsOf(topology)) {
    const context = {
      store: createStore({ db: table.db, tableName: table.tableName }),
      log: createLogger('error'),
      now: () => new Date(),
      newId,
    }
    const handler = createFunctionHandler(ownedRoutes(fn.routes), context, { scopePrefix: '' })
    for (const route of fn.routes) handlers.set(routeKey(route), handler)
  }

  async function verifiedToken(routeKey: string, rawHeaders: string[]) {
    if (!guarded.has(routeKey)) return undefined
    const decision = await authorize(authorizationHeader(rawHeaders), [])
    return decision.allowed ? decision : undefined
  }

  async function send(
    request: HostileRequest,
    payloadFormat: '2.0' | '1.0',
  ): Promise<InProcessAnswer> {
    const api = payloadFormat === '2.0' ? 'http' : 'rest'
    let match: ReturnType<RouteMatcher['match']>
    try {
      match = matcher.match(request.method, request.target.split('?')[0] ?? '/')
    } catch (error) {
      if (!(error instanceof MalformedPathError)) throw error
      return answerOf(refusalResponse(api, 'bad-request'))
    }
    if (!match) return answerOf(refusalResponse(api, 'no-route'))
    const gatewayRequest = {
      method: request.method,
      url: request.target,
      rawHeaders: request.headers.flat(),
      body: request.body ?? Buffer.alloc(0),
      sourceIp: '127.0.0.1',
    }
    const token = await verifiedToken(match.routeKey, gatewayRequest.rawHeaders)
    let event: object
    if (payloadFormat === '2.0') {
      const http = buildHttpApiEvent(gatewayRequest, match)
      event = token ? withJwtClaims(http, token) : http
    } else {
      const ids = { requestId: 'request', extendedRequestId: 'extended' }
      const rest = buildRestApiEvent(gatewayRequest, match, ids)
      event = token ? withRestClaims(rest, token, 'rest') : rest
    }
    const handler = handlers.get(match.routeKey)
    if (!handler) throw new Error(`no function owns ${match.routeKey}`)
    // Events and results cross Lambda's runtime API as JSON text.
    const result: unknown = JSON.parse(
      JSON.stringify(await handler(JSON.parse(JSON.stringify(event)))),
    )
    const mapped = payloadFormat === '2.0' ? httpApiResponse(result) : restApiResponse(result)
    if (!mapped)
      throw new Error(`the function answered a malformed result: ${JSON.stringify(result)}`)
    return answerOf(mapped)
  }

  return { send }
}

function answerOf(response: {
  statusCode: number
  headers: Record<string, string | string[]>
  body: string | Buffer
}): InProcessAnswer {
  const text = response.body.toString()
  let json: unknown
  try {
    json = JSON.parse(text)
  } catch {
    json = undefined
  }
  const headers = Object.fromEntries(
    Object.entries(response.headers).map(([name, value]) => [name, String(value)]),
  )
  return { status: response.statusCode, headers, text, json }
}
