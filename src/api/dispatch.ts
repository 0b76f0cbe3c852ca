import { errorResponse } from './errors.js'
import type { ApiRequest, ApiResponse, Handler, HandlerContext } from './types.js'

/** Runs a handler and turns whatever it throws into the API's error response. */
export async function dispatch(
  handler: Handler,
  request: ApiRequest,
  context: HandlerContext,
): Promise<ApiResponse> {
  try {
    return await handler(request, context)
  } catch (error) {
    return errorResponse(error, request, context.log)
  }
}
