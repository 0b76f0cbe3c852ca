import type { LoadTestResult } from '../loadtest/index.js'
import { routeOwners, type Topology } from '../topology/topologies.js'
import type { PhaseWindow, VariantSeries, VariantSummary } from './results.js'

export interface FindingInputs {
  summary: VariantSummary
  series: VariantSeries
  phases: readonly PhaseWindow[]
  load: LoadTestResult
  topology: Topology
}

/** A second counts as failing when at least this share of the requests it finished failed. */
const FAILING_SECOND_SHARE = 0.05

/**
 * Where and when requests failed, said in sentences computed from the run's own series: which
 * phase failures began in, which endpoints and functions they came from, which table or index
 * refused, what the burst balance was, how much of DynamoDB's traffic was retries. Nothing here
 * is a canned explanation: a sentence appears only when its numbers do.
 */
export function findingsOf(inputs: FindingInputs): string[] {
  return [
    failureOnset(inputs),
    failureSources(inputs),
    failureKinds(inputs),
    dynamodbRefusals(inputs),
    burstAtStart(inputs),
    lambdaLimits(inputs),
    retriesAndConnections(inputs),
    injectedFaults(inputs),
    lostWrites(inputs),
  ].filter((sentence): sentence is string => sentence !== undefined)
}

function failureOnset({ series, phases, summary }: FindingInputs): string | undefined {
  if (summary.requests === 0) return 'No request was measured.'
  const { failed, succeeded } = series.load
  const first = failed.findIndex((count, second) => {
    const finished = count + (succeeded[second] ?? 0)
    return finished > 0 && count / finished >= FAILING_SECOND_SHARE
  })
  if (first < 0) {
    return `No second had ${percent(FAILING_SECOND_SHARE)} or more of its requests fail; ${percent(summary.failureRate)} failed overall.`
  }
  const phase = phaseAt(phases, first)
  const byPhase = phases
    .map((window) => {
      const share = failureShare(series, window)
      return share === undefined ? undefined : `${window.name} ${percent(share)}`
    })
    .filter(Boolean)
  return `Failures began at second ${first}${phase ? `, in the ${phase.name} phase` : ''}; failure rate by phase: ${byPhase.join(', ')}.`
}

function failureSources({ load, topology }: FindingInputs): string | undefined {
  const failed = Object.entries(load.endpoints)
    .map(([endpoint, stats]) => ({ endpoint, failed: stats.failed, requests: stats.requests }))
    .filter((entry) => entry.failed > 0)
    .sort((a, b) => b.failed - a.failed)
  const total = failed.reduce((sum, entry) => sum + entry.failed, 0)
  if (total === 0) return undefined
  const owners = routeOwners(topology)
  const top = failed.slice(0, 3).map((entry) => {
    const owner = owners.get(entry.endpoint)
    return `${entry.endpoint} ${percent(entry.failed / total)} of failures (${percent(entry.failed / entry.requests)} of its requests${owner ? `, function ${owner}` : ''})`
  })
  const writes = failed.filter((entry) => !entry.endpoint.startsWith('GET '))
  const writeShare = writes.reduce((sum, entry) => sum + entry.failed, 0) / total
  return `Failures by endpoint: ${top.join('; ')}. Writes account for ${percent(writeShare)} of them.`
}

function failureKinds({ summary }: FindingInputs): string | undefined {
  const failures = summary.retryableFailures + summary.hardFailures
  if (failures === 0) return undefined
  const kinds = Object.entries(summary.errorClasses)
    .sort(([, a], [, b]) => (b ?? 0) - (a ?? 0))
    .map(([kind, count]) => `${KIND_NAMES[kind] ?? kind} ${count}`)
  return `Of ${failures} failed requests, ${summary.retryableFailures} were refusals the client is told to retry (429, or 503 with Retry-After) and ${summary.hardFailures} were hard failures; by kind: ${kinds.join(', ')}.`
}

function dynamodbRefusals({ series, summary }: FindingInputs): string | undefined {
  const parts: string[] = []
  for (const [name, resource] of Object.entries(series.resources)) {
    for (const [kind, throttled] of [
      ['writes', resource.throttledWrites],
      ['reads', resource.throttledReads],
    ] as const) {
      const total = throttled.reduce((sum, count) => sum + count, 0)
      if (total === 0) continue
      const first = throttled.findIndex((count) => count > 0)
      parts.push(`${name} ${kind}: ${total} refusals from second ${first}`)
    }
  }
  if (parts.length === 0) return summary.requests > 0 ? 'DynamoDB throttled nothing.' : undefined
  const utilization =
    summary.tableWriteUtilizationOnceBurstSpent === undefined
      ? ''
      : ` Once its burst balance was spent, the table consumed ${percent(summary.tableWriteUtilizationOnceBurstSpent)} of its provisioned write units a second.`
  return `DynamoDB refused for lack of capacity at ${parts.join('; ')}.${utilization}`
}

function burstAtStart({ series }: FindingInputs): string | undefined {
  const descriptions = Object.entries(series.resources)
    .map(([name, resource]) => {
      const balance = resource.balanceWrite.find((value) => value !== null)
      const provisioned = resource.provisionedWrite.find((value) => value !== null)
      if (balance === undefined || balance === null || !provisioned) return undefined
      return `${name} ${Math.round(balance)} write units (${(balance / provisioned).toFixed(0)} s of provisioned throughput)`
    })
    .filter(Boolean)
  if (descriptions.length === 0) return undefined
  return `Burst balance one second into the load: ${descriptions.join('; ')}; unused capacity of quieter seconds accrues to it (up to 300 s worth).`
}

function lambdaLimits({ summary }: FindingInputs): string | undefined {
  const busiest = [...summary.functions].sort((a, b) => b.peakConcurrency - a.peakConcurrency)[0]
  const throttled = summary.functions.filter((fn) => fn.throttles > 0)
  const parts = [
    `${summary.functions.length} function(s) started ${summary.coldStarts} execution environments (cold starts)`,
    busiest ? `the busiest, ${busiest.name}, ran ${busiest.peakConcurrency} at once` : undefined,
    throttled.length > 0
      ? `Lambda throttled ${throttled.map((fn) => `${fn.name} ${fn.throttles} times`).join(', ')}`
      : 'Lambda throttled no invocation',
    summary.lambdaErrors > 0
      ? `${summary.lambdaErrors} invocations ended in a function error`
      : undefined,
  ].filter(Boolean)
  return `${parts.join('; ')}.`
}

function retriesAndConnections({ summary, series }: FindingInputs): string | undefined {
  if (Object.keys(series.resources).length === 0) return undefined
  return `The functions' SDK clients retried ${summary.sdkRetries} DynamoDB requests; DynamoDB saw ${summary.dynamodbThrottledRequests} throttled requests and ${summary.dynamodbConnectionsOpened} newly opened connections (each execution environment opens its own).`
}

function injectedFaults({ summary }: FindingInputs): string | undefined {
  const faults = summary.faults
  const parts = [
    count(faults.dynamodbInternalErrors, 'DynamoDB 500 (InternalServerError)'),
    count(faults.dynamodbUnavailable, 'DynamoDB 503 (ServiceUnavailable)'),
    count(faults.dynamodbConnectionResets, 'DynamoDB connection reset'),
    count(
      faults.dynamodbDelayed,
      'DynamoDB request with added latency',
      'DynamoDB requests with added latency',
    ),
    count(faults.lambdaCrashes, 'Lambda environment crash'),
    count(faults.lambdaInitFailures, 'Lambda init failure'),
  ].filter((part): part is string => part !== undefined)
  if (parts.length === 0) return undefined
  return `Faults injected during the load: ${parts.join(', ')}. With them the client saw ${summary.hardFailures} hard failures (${percent(summary.hardFailures / Math.max(1, summary.requests))}) and the SDK clients retried ${summary.sdkRetries} DynamoDB requests.`
}

function count(value: number, singular: string, plural = `${singular}s`): string | undefined {
  if (value === 0) return undefined
  return `${value} ${value === 1 ? singular : plural}`
}

function lostWrites({ summary }: FindingInputs): string | undefined {
  if (summary.lostWrites === undefined) return undefined
  return `Read back after the run: ${summary.lostWrites} acknowledged writes lost, ${summary.duplicatedWrites ?? 0} duplicated.`
}

const KIND_NAMES: Record<string, string> = {
  http_503_throttled: '503 with Retry-After',
  http_429: '429',
  http_5xx: 'other 5xx',
  http_4xx: '4xx',
  timeout: 'client timeouts',
  connection_error: 'connection errors',
  unexpected_status: 'unexpected status',
}

function phaseAt(phases: readonly PhaseWindow[], second: number): PhaseWindow | undefined {
  return (
    phases.find((phase) => second >= phase.startSecond && second < phase.endSecond) ?? phases.at(-1)
  )
}

function failureShare(series: VariantSeries, window: PhaseWindow): number | undefined {
  const failed = series.load.failed.slice(window.startSecond, window.endSecond)
  const succeeded = series.load.succeeded.slice(window.startSecond, window.endSecond)
  const total = [...failed, ...succeeded].reduce((sum, count) => sum + count, 0)
  return total === 0 ? undefined : failed.reduce((sum, count) => sum + count, 0) / total
}

export const percent = (share: number) => `${(share * 100).toFixed(share < 0.1 ? 1 : 0)}%`
