import { pathToFileURL } from 'node:url'
import type { FunctionBundle } from '../../topology/bundle.js'
import type { Invoke } from '../gateway/server.js'

type LambdaHandler = (event: unknown, context: unknown) => Promise<unknown>

/**
 * Loads every function's bundle into this process, once, and invokes the handlers directly:
 * one module instance (and so one DynamoDB client) per function, no isolation between them, no
 * cold starts after the first load and no concurrency limit. It serves the API correctly and
 * cheaply; it does not model Lambda's execution environments.
 *
 * The bundles read their configuration from process.env when loaded, so `environment` is
 * written into this process's environment first.
 */
export async function loadBundlesInProcess(
  bundles: readonly FunctionBundle[],
  environment: Readonly<Record<string, string>>,
): Promise<Invoke> {
  Object.assign(process.env, environment)
  const handlers = new Map<string, LambdaHandler>()
  for (const bundle of bundles) {
    const module = (await import(pathToFileURL(bundle.file).href)) as { handler?: LambdaHandler }
    if (typeof module.handler !== 'function') {
      throw new Error(`bundle ${bundle.file} exports no handler function`)
    }
    handlers.set(bundle.functionName, module.handler)
  }
  return async (functionName, event) => {
    const handler = handlers.get(functionName)
    if (!handler) throw new Error(`no function named ${functionName} is loaded`)
    return handler(event, { functionName, awsRequestId: event.requestContext.requestId })
  }
}
