import { describe, expect, it } from 'vitest'
import { ROUTES, type RouteDefinition } from '../../../src/api/routes.js'
import { MalformedPathError, RouteMatcher } from '../../../src/local/gateway/route-matcher.js'

const matcher = new RouteMatcher(ROUTES)

describe('route matching as an HTTP API does it', () => {
  it('matches a template and decodes its parameters', () => {
    expect(matcher.match('PUT', '/courses/crs_1/grades/stu%5F2')).toEqual({
      routeKey: 'PUT /courses/{courseId}/grades/{studentId}',
      pathParameters: { courseId: 'crs_1', studentId: 'stu_2' },
    })
  })

  it('prefers a route for the method over ANY on the same path', () => {
    expect(matcher.match('GET', '/courses')?.routeKey).toBe('GET /courses')
    expect(matcher.match('PATCH', '/courses')?.routeKey).toBe('ANY /courses')
  })

  it('prefers literal segments over parameters', () => {
    const routes: RouteDefinition[] = [
      { id: 'a', method: 'GET', path: '/courses/{courseId}', service: 'courses', access: 'read' },
      { id: 'b', method: 'GET', path: '/courses/featured', service: 'courses', access: 'read' },
    ]
    expect(new RouteMatcher(routes).match('GET', '/courses/featured')?.routeKey).toBe(
      'GET /courses/featured',
    )
    expect(new RouteMatcher(routes).match('GET', '/courses/crs_1')?.routeKey).toBe(
      'GET /courses/{courseId}',
    )
  })

  it('sends unmatched paths, empty parameters and trailing slashes to $default', () => {
    for (const path of ['/teachers', '/courses//enrollments', '/students/', '/']) {
      expect(matcher.match('GET', path)).toEqual({ routeKey: '$default', pathParameters: {} })
    }
  })

  it('matches nothing without a $default route', () => {
    const routes = ROUTES.filter((route) => route.method !== '$default')
    expect(new RouteMatcher(routes).match('GET', '/teachers')).toBeUndefined()
  })

  it('refuses a path whose percent-encoding does not decode', () => {
    expect(() => matcher.match('GET', '/students/%E0%A4%A')).toThrow(MalformedPathError)
  })
})
