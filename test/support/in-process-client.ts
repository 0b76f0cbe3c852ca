import { HANDLERS } from '../../src/api/handlers/index.js'
import { newId } from '../../src/api/ids.js'
import { createLogger } from '../../src/api/logger.js'
import { ROUTES, routeKey } from '../../src/api/routes.js'
import type { HandlerContext } from '../../src/api/types.js'
import { createFunctionHandler } from '../../src/lambda/function-handler.js'
import { buildHttpApiEvent } from '../../src/local/gateway/http-api-event.js'
import { fromLambdaResult } from '../../src/local/gateway/lambda-response.js'
import { RouteMatcher } from '../../src/local/gateway/route-matcher.js'
import { createStore } from '../../src/store/index.js'
import { functionsOf, type Topology } from '../../src/topology/topologies.js'
import { type ApiClient, encodeBody, parseBody } from './api-client.js'
import type { LocalTable } from './local-table.js'

/**
 * Serves the API by calling each topology function's Lambda handler, built from source, with
 * the payload 2.0 event API Gateway would send: what a function entry does, without bundling or
 * HTTP. Each function gets its own handler context, as separate functions would.
 */
export function inProcessClient(topology: Topology, table: LocalTable): ApiClient {
  const matcher = new RouteMatcher(ROUTES)
  const handlers = new Map<string, ReturnType<typeof createFunctionHandler>>()
  for (const fn of functionsOf(topology)) {
    const routes = Object.fromEntries(
      fn.routes.map((route) => [routeKey(route), HANDLERS[route.id as keyof typeof HANDLERS]]),
    )
    const handler = createFunctionHandler(routes, contextFor(table))
    for (const route of fn.routes) handlers.set(routeKey(route), handler)
  }
  return {
    async request(method, path, options = {}) {
      const match = matcher.match(method, path.split('?')[0] ?? '/')
      if (!match) throw new Error(`no route for ${method} ${path}`)
      const body = encodeBody(options.body)
      const headers = {
        ...(body === undefined ? {} : { 'content-type': 'application/json' }),
        ...options.headers,
      }
      const event = buildHttpApiEvent(
        {
          method,
          url: path,
          rawHeaders: Object.entries(headers).flat(),
          body: Buffer.from(body ?? ''),
          sourceIp: '127.0.0.1',
        },
        match,
      )
      const handler = handlers.get(match.routeKey)
      if (!handler) throw new Error(`no function owns ${match.routeKey}`)
      const response = fromLambdaResult(await handler(event))
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
