import type { RouteDefinition } from '../../api/routes.js'
import { routeKey } from '../../api/routes.js'

export interface RouteMatch {
  routeKey: string
  pathParameters: Record<string, string>
}

/** A path API Gateway would refuse before routing: its percent-encoding does not decode. */
export class MalformedPathError extends Error {
  override readonly name = 'MalformedPathError'

  constructor(readonly path: string) {
    super(`path '${path}' has malformed percent-encoding`)
  }
}

interface CompiledRoute {
  key: string
  method: string
  segments: readonly string[]
  literalSegments: number
}

/**
 * Chooses the route for a request as an HTTP API does: among routes whose template matches the
 * path, the one with the most literal segments wins, a route for the exact method beats `ANY`,
 * and `$default` takes whatever nothing else matched. Parameters match one non-empty segment.
 */
export class RouteMatcher {
  private readonly routes: CompiledRoute[]
  private readonly hasDefault: boolean

  constructor(routes: readonly RouteDefinition[]) {
    this.hasDefault = routes.some((route) => route.method === '$default')
    this.routes = routes
      .filter((route) => route.method !== '$default')
      .map((route) => {
        const segments = route.path.split('/').slice(1)
        return {
          key: routeKey(route),
          method: route.method,
          segments,
          literalSegments: segments.filter((segment) => !isParameter(segment)).length,
        }
      })
  }

  /** The matching route, or undefined when none matches and there is no `$default`. */
  match(method: string, path: string): RouteMatch | undefined {
    const segments = path.split('/')
    // The part before the first slash is not a segment: templates start with one.
    segments.shift()
    for (let index = 0; index < segments.length; index += 1) {
      segments[index] = decodeSegment(segments[index] ?? '', path)
    }
    let best: { route: CompiledRoute; parameters: Record<string, string> } | undefined
    for (const route of this.routes) {
      if (route.method !== method && route.method !== 'ANY') continue
      const parameters = matchSegments(route.segments, segments)
      if (parameters && (!best || outranks(route, best.route))) best = { route, parameters }
    }
    if (best) return { routeKey: best.route.key, pathParameters: best.parameters }
    return this.hasDefault ? { routeKey: '$default', pathParameters: {} } : undefined
  }
}

function outranks(candidate: CompiledRoute, current: CompiledRoute): boolean {
  if (candidate.literalSegments !== current.literalSegments) {
    return candidate.literalSegments > current.literalSegments
  }
  return current.method === 'ANY' && candidate.method !== 'ANY'
}

function matchSegments(
  template: readonly string[],
  segments: readonly string[],
): Record<string, string> | undefined {
  if (template.length !== segments.length) return undefined
  const parameters: Record<string, string> = {}
  for (let index = 0; index < template.length; index += 1) {
    const part = template[index] ?? ''
    const segment = segments[index] ?? ''
    if (isParameter(part)) {
      if (segment === '') return undefined
      parameters[part.slice(1, -1)] = segment
    } else if (part !== segment) {
      return undefined
    }
  }
  return parameters
}

const isParameter = (segment: string) => segment.startsWith('{') && segment.endsWith('}')

function decodeSegment(segment: string, path: string): string {
  try {
    return decodeURIComponent(segment)
  } catch {
    throw new MalformedPathError(path)
  }
}
