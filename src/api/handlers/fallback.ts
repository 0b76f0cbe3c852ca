import { ApiError, NotFoundError } from '../errors.js'
import { methodsAt } from '../routes.js'
import type { Handler } from '../types.js'

/** `ANY <path>`: the path exists but not with this method. */
export const methodNotAllowed: Handler = async (request) => {
  const template = request.routeKey.slice(request.routeKey.indexOf(' ') + 1)
  const allowed = methodsAt(template).join(', ')
  throw new ApiError(
    405,
    'method_not_allowed',
    `${request.method} is not allowed on ${template}; use ${allowed}`,
    {
      headers: { allow: allowed },
    },
  )
}

/** `$default`: no route has this path. */
export const notFound: Handler = async (request) => {
  throw new NotFoundError('route_not_found', `no route matches ${request.method} ${request.path}`)
}
