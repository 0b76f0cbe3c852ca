import { FALLBACK_ROUTES, ROUTES, type RouteDefinition, routeKey } from '../api/routes.js'

/**
 * How the routes are split into Lambda functions. The same handlers run in every topology; only
 * the grouping, and with it the number of functions, bundles and execution environments, changes.
 */
export const TOPOLOGIES = ['monolith', 'services', 'per-route'] as const
export type Topology = (typeof TOPOLOGIES)[number]

/** Lambda's defaults when a function sets neither, as the CDK and the console create them. */
export const DEFAULT_MEMORY_MB = 128
export const DEFAULT_TIMEOUT_SECONDS = 3

export interface FunctionDefinition {
  /** Unique within the topology; also the bundle's folder and the CDK construct id. */
  readonly name: string
  readonly routes: readonly RouteDefinition[]
  readonly memoryMb: number
  readonly timeoutSeconds: number
}

export function isTopology(name: string): name is Topology {
  return (TOPOLOGIES as readonly string[]).includes(name)
}

/** The functions of a topology, each with the routes it owns. */
export function functionsOf(topology: Topology): FunctionDefinition[] {
  const groups = new Map<string, RouteDefinition[]>()
  for (const route of ROUTES) {
    const name = functionNameOf(topology, route)
    groups.set(name, [...(groups.get(name) ?? []), route])
  }
  return [...groups].map(([name, routes]) => ({
    name,
    routes,
    memoryMb: DEFAULT_MEMORY_MB,
    timeoutSeconds: DEFAULT_TIMEOUT_SECONDS,
  }))
}

/**
 * Route key → name of the function that owns it, for every route of the table: how a gateway,
 * local or on AWS, routes requests in a topology.
 */
export function routeOwners(topology: Topology): Map<string, string> {
  const owners = new Map<string, string>()
  for (const fn of functionsOf(topology)) {
    for (const route of fn.routes) owners.set(routeKey(route), fn.name)
  }
  return owners
}

/** The function that owns a route key in a topology; every key has exactly one owner. */
export function ownerOf(topology: Topology, key: string): FunctionDefinition | undefined {
  return functionsOf(topology).find((fn) => fn.routes.some((route) => routeKey(route) === key))
}

function functionNameOf(topology: Topology, route: RouteDefinition): string {
  if (topology === 'monolith') return 'monolith'
  // The 404/405 answers are one small function of their own once the API is split.
  if (topology === 'services' || FALLBACK_ROUTES.includes(route)) return route.service
  return kebabCase(route.id)
}

const kebabCase = (id: string) => id.replace(/[A-Z]/g, (letter) => `-${letter.toLowerCase()}`)
