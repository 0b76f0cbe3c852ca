import { routeKey, scopesOf } from '../api/routes.js'
import type { FunctionDefinition } from './topologies.js'

/**
 * The entry module of one function's bundle, as source text relative to src/: it imports exactly
 * the handlers of the function's routes (so esbuild leaves every other handler out) and builds
 * the Lambda handler at module scope, where Lambda runs it once per execution environment. Each
 * route's roles are written in as data, so the bundle checks them without carrying the route
 * table (or any JWT library: tokens are verified by API Gateway before the function runs).
 */
export function entrySource(fn: FunctionDefinition): string {
  const exportsByModule = new Map<string, Set<string>>()
  for (const route of fn.routes) {
    const names = exportsByModule.get(route.service) ?? new Set<string>()
    names.add(route.id)
    exportsByModule.set(route.service, names)
  }
  const imports = [...exportsByModule].map(
    ([module, names]) => `import { ${[...names].join(', ')} } from './api/handlers/${module}.js'`,
  )
  const needsStore = fn.routes.some((route) => route.access !== 'none')
  const context = needsStore
    ? ["import { createHandlerContext } from './api/context.js'", 'createHandlerContext()']
    : [
        "import { createStorelessContext } from './api/storeless-context.js'",
        'createStorelessContext()',
      ]
  const table = fn.routes.map(
    (route) =>
      `  ${JSON.stringify(routeKey(route))}: { handler: ${route.id}, scopes: ${JSON.stringify(scopesOf(route))} },`,
  )
  return [
    "import { createFunctionHandler } from './lambda/function-handler.js'",
    context[0],
    ...imports,
    '',
    'export const handler = createFunctionHandler(',
    '  {',
    ...table.map((line) => `  ${line}`),
    '  },',
    `  ${context[1]},`,
    ')',
    '',
  ].join('\n')
}
