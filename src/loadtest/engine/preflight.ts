import { TargetUnreachableError } from '../errors.js'
import { sendOnce } from '../http/patient.js'
import type { HttpTarget } from '../http/target.js'

export interface PreflightReport {
  url: string
  statusCode: number
  latencyMs: number
}

/**
 * One `GET /health` before any load, so a wrong URL or a server that is not there fails in a
 * second with a clear message instead of a run full of connection errors. A throttled or failing
 * health check (429, 5xx) still counts as reachable: measuring that target is the point.
 */
export async function checkTarget(
  target: HttpTarget,
  headers: Record<string, string>,
  timeoutMs: number,
): Promise<PreflightReport> {
  const url = `${target.origin}${target.basePath}/health`
  const startedAt = performance.now()
  const outcome = await sendOnce(target, { method: 'GET', path: '/health', headers }, false)
  const latencyMs = performance.now() - startedAt

  if (outcome.failure === 'timeout') {
    throw new TargetUnreachableError(`no answer from GET ${url} within ${timeoutMs} ms`, {
      cause: outcome.error,
    })
  }
  if (outcome.failure === 'connection') {
    const reason = outcome.error?.message ?? 'connection failed'
    throw new TargetUnreachableError(`cannot reach GET ${url}: ${reason}`, { cause: outcome.error })
  }
  const status = outcome.statusCode
  if (status === 401 || status === 403) {
    throw new TargetUnreachableError(
      `GET ${url} answered ${status}: pass credentials with --header 'Authorization: Bearer …'`,
    )
  }
  if (status >= 400 && status < 500 && status !== 429) {
    throw new TargetUnreachableError(
      `GET ${url} answered ${status}: is the base URL right? (an API Gateway URL with a named stage includes it, e.g. …/prod)`,
    )
  }
  return { url, statusCode: status, latencyMs }
}
