import * as apigwv2 from 'aws-cdk-lib/aws-apigatewayv2'
import { HttpLambdaIntegration } from 'aws-cdk-lib/aws-apigatewayv2-integrations'
import type * as lambda from 'aws-cdk-lib/aws-lambda'
import type { Construct } from 'constructs'
import { ROUTES, type RouteDefinition, routeKey, scopesOf } from '../api/routes.js'
import { scopeName } from '../auth/roles.js'
import { routeOwners, type Topology } from '../topology/topologies.js'
import type { ApiIdentity } from './identity.js'

/**
 * The HTTP API: one route per route-table entry (the `ANY` fallbacks and `$default` included),
 * each integrated with the function that owns it in the topology, payload format 2.0. Routes
 * with scopes get the JWT authorizer and ask for their roles as the issuer names them; the
 * others stay public. Its $default stage deploys automatically.
 */
export function createHttpApi(
  scope: Construct,
  apiName: string,
  topology: Topology,
  functionsByName: ReadonlyMap<string, lambda.IFunction>,
  identity: ApiIdentity,
): apigwv2.HttpApi {
  const integrations = new Map<string, HttpLambdaIntegration>()
  const owners = routeOwners(topology)
  const integrationOf = (route: RouteDefinition) => {
    const owner = owners.get(routeKey(route))
    const fn = owner === undefined ? undefined : functionsByName.get(owner)
    if (owner === undefined || !fn) {
      throw new Error(`no function owns route ${routeKey(route)} in the ${topology} topology`)
    }
    const integration = integrations.get(owner) ?? new HttpLambdaIntegration(owner, fn)
    integrations.set(owner, integration)
    return integration
  }

  const fallback = ROUTES.find((route) => route.method === '$default')
  const api = new apigwv2.HttpApi(scope, 'Api', {
    apiName,
    ...(fallback ? { defaultIntegration: integrationOf(fallback) } : {}),
  })
  for (const route of ROUTES) {
    if (route.method === '$default') continue
    const roles = scopesOf(route)
    api.addRoutes({
      path: route.path,
      methods: [apigwv2.HttpMethod[route.method]],
      integration: integrationOf(route),
      ...(roles.length > 0
        ? {
            authorizer: identity.authorizer,
            authorizationScopes: roles.map((role) => scopeName(role, identity.scopePrefix)),
          }
        : {}),
    })
  }
  return api
}
