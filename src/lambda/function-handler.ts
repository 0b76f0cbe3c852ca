import type {
  APIGatewayProxyEvent,
  APIGatewayProxyEventV2,
  APIGatewayProxyResult,
  APIGatewayProxyStructuredResultV2,
  Context,
} from 'aws-lambda'
import { dispatch } from '../api/dispatch.js'
import type { ApiRequest, ApiResponse, Handler, HandlerContext } from '../api/types.js'
import { fromHttpApiEvent, toHttpApiResult } from './http-api.js'
import { fromRestApiEvent, toRestApiResult } from './rest-api.js'

export type ApiGatewayEvent = APIGatewayProxyEventV2 | APIGatewayProxyEvent
export type ApiGatewayResult = APIGatewayProxyStructuredResultV2 | APIGatewayProxyResult

/** A function's routes: handlers by API Gateway route key (`GET /courses/{courseId}`…). */
export type RouteHandlers = Readonly<Record<string, Handler>>

/**
 * Builds the Lambda handler of one function from the routes it owns and its handler context.
 * Call both at module scope, so the context (and with it the DynamoDB client) is created once per
 * execution environment, during Lambda's init phase. The handler answers HTTP API events (payload 2.0) and
 * REST API events (payload 1.0) and routes by the template API Gateway already matched.
 */
export function createFunctionHandler(
  routes: RouteHandlers,
  context: HandlerContext,
): (event: ApiGatewayEvent, lambdaContext?: Context) => Promise<ApiGatewayResult> {
  return async function handleApiGatewayEvent(event) {
    if (isHttpApiEvent(event)) {
      const request = fromHttpApiEvent(event)
      return toHttpApiResult(await route(routes, request, context))
    }
    const routeKey = restRouteKey(routes, event)
    return toRestApiResult(await route(routes, fromRestApiEvent(event, routeKey), context))
  }
}

function route(
  routes: RouteHandlers,
  request: ApiRequest,
  context: HandlerContext,
): Promise<ApiResponse> {
  return dispatch(routes[request.routeKey] ?? unownedRoute, request, context)
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
