import type {
  APIGatewayProxyEvent,
  APIGatewayProxyEventV2,
  APIGatewayProxyResult,
  APIGatewayProxyStructuredResultV2,
  Context,
} from 'aws-lambda'
import { requireRouteRoles } from '../api/authorization.js'
import { dispatch } from '../api/dispatch.js'
import type { ApiRequest, ApiResponse, Handler, HandlerContext } from '../api/types.js'
import { type Role, SCOPE_PREFIX_VARIABLE } from '../auth/roles.js'
import { fromHttpApiEvent, toHttpApiResult } from './http-api.js'
import { fromRestApiEvent, toRestApiResult } from './rest-api.js'

export type ApiGatewayEvent = APIGatewayProxyEventV2 | APIGatewayProxyEvent
export type ApiGatewayResult = APIGatewayProxyStructuredResultV2 | APIGatewayProxyResult

/** One route a function owns: its handler and the roles the route table gives it. */
export interface OwnedRoute {
  handler: Handler
  /** Empty for a public route. */
  scopes: readonly Role[]
}

/** A function's routes by API Gateway route key (`GET /courses/{courseId}`…). */
export type RouteHandlers = Readonly<Record<string, OwnedRoute>>

export interface FunctionHandlerOptions {
  /** The identity provider's scope prefix (default: the APLUS_SCOPE_PREFIX variable, or none). */
  scopePrefix?: string
}

/**
 * Builds the Lambda handler of one function from the routes it owns and its handler context.
 * Call both at module scope, so the context (and with it the DynamoDB client) is created once per
 * execution environment, during Lambda's init phase. The handler answers HTTP API events (payload 2.0) and
 * REST API events (payload 1.0) and routes by the template API Gateway already matched.
 *
 * It checks each route's roles itself, although API Gateway's authorizer has already: a
 * deployment whose API lost its authorizer then refuses (401) instead of serving everyone.
 */
export function createFunctionHandler(
  routes: RouteHandlers,
  context: HandlerContext,
  options: FunctionHandlerOptions = {},
): (event: ApiGatewayEvent, lambdaContext?: Context) => Promise<ApiGatewayResult> {
  const scopePrefix = options.scopePrefix ?? process.env[SCOPE_PREFIX_VARIABLE] ?? ''
  return async function handleApiGatewayEvent(event) {
    if (isHttpApiEvent(event)) {
      const request = fromHttpApiEvent(event, scopePrefix)
      return toHttpApiResult(await route(routes, request, context))
    }
    const routeKey = restRouteKey(routes, event)
    const request = fromRestApiEvent(event, routeKey, scopePrefix)
    return toRestApiResult(await route(routes, request, context))
  }
}

function route(
  routes: RouteHandlers,
  request: ApiRequest,
  context: HandlerContext,
): Promise<ApiResponse> {
  const owned = routes[request.routeKey]
  return dispatch(owned ? guarded(owned) : unownedRoute, request, context)
}

/** The route's handler behind its role check; both throw into the same error mapping. */
function guarded({ handler, scopes }: OwnedRoute): Handler {
  return async (request, context) => {
    requireRouteRoles(request, scopes)
    return handler(request, context)
  }
}

/**
 * API Gateway sent a route this function does not own: the deployment and the route table
 * disagree. That is the operator's problem (a logged 500), never the client's.
 */
const unownedRoute: Handler = async (request) => {
  throw new Error(`route ${request.routeKey} is not owned by this function`)
}

function isHttpApiEvent(event: ApiGatewayEvent): event is APIGatewayProxyEventV2 {
  return (event as APIGatewayProxyEventV2).version === '2.0'
}

/** REST APIs name the method and template apart; an `ANY` resource matches what has no route. */
function restRouteKey(routes: RouteHandlers, event: APIGatewayProxyEvent): string {
  const exact = `${event.httpMethod} ${event.resource}`
  if (routes[exact]) return exact
  const any = `ANY ${event.resource}`
  return routes[any] ? any : '$default'
}
