import { HANDLERS } from '../../src/api/handlers/index.js'
import { type RouteDefinition, routeKey, scopesOf } from '../../src/api/routes.js'
import type { RouteHandlers } from '../../src/lambda/function-handler.js'

/** A function's routes as its generated entry lists them: handler and roles by route key. */
export function ownedRoutes(routes: readonly RouteDefinition[]): RouteHandlers {
  return Object.fromEntries(
    routes.map((route) => [
      routeKey(route),
      { handler: HANDLERS[route.id as keyof typeof HANDLERS], scopes: scopesOf(route) },
    ]),
  )
}
