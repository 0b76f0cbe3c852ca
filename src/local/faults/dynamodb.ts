import type { DynamoDbFaultSettings } from './config.js'
import { sampleLatencyMs } from './latency.js'
import { type FaultRandom, faultStream } from './random.js'

/** What the DynamoDB endpoint does to one request. */
export interface WireFaultDecision {
  /** Added before the request is answered (0: none). */
  delayMs: number
  failure: 'internal-error' | 'unavailable' | 'connection-reset' | undefined
  /** The failure comes after the operation did its work (500s and resets only). */
  afterWork: boolean
}

export type WireFaultKind = 'latency' | 'internal-error' | 'unavailable' | 'connection-reset'

/** Faults injected so far, with the latency added in total. */
export interface WireFaultCounts {
  delayed: number
  addedLatencyMs: number
  internalErrors: number
  unavailable: number
  connectionResets: number
}

export const emptyWireFaultCounts = (): WireFaultCounts => ({
  delayed: 0,
  addedLatencyMs: 0,
  internalErrors: 0,
  unavailable: 0,
  connectionResets: 0,
})

/**
 * Decides the faults of DynamoDB requests, one decision per affected request in arrival order,
 * from the run's `dynamodb` stream. Each decision takes the same four draws whatever the
 * outcome, so with requests sent one at a time a seed gives the same faults to the same
 * requests; with concurrent requests it gives the same sequence of faults, in whatever order
 * the requests arrive.
 */
export class DynamoDbFaults {
  private readonly random: FaultRandom
  private readonly operations: ReadonlySet<string>
  readonly counts = emptyWireFaultCounts()

  constructor(
    private readonly settings: DynamoDbFaultSettings,
    seed: number,
    dataPlaneOperations: readonly string[],
  ) {
    this.random = faultStream(seed, 'dynamodb')
    this.operations = new Set(settings.operations ?? dataPlaneOperations)
  }

  applies(operation: string): boolean {
    return this.operations.has(operation)
  }

  decide(): WireFaultDecision {
    const { settings, random } = this
    const delayed = random.chance(settings.latencyRate)
    const latencyMs =
      settings.latencyMs === undefined ? 0 : sampleLatencyMs(settings.latencyMs, random)
    const failureDraw = random.next()
    const afterWork = random.next() < settings.afterWorkShare
    const delayMs = delayed ? latencyMs : 0
    let failure: WireFaultDecision['failure']
    if (failureDraw < settings.internalErrorRate) failure = 'internal-error'
    else if (failureDraw < settings.internalErrorRate + settings.unavailableRate)
      failure = 'unavailable'
    else if (
      failureDraw <
      settings.internalErrorRate + settings.unavailableRate + settings.connectionResetRate
    ) {
      failure = 'connection-reset'
    }
    return {
      delayMs,
      failure,
      afterWork: failure !== 'unavailable' && failure !== undefined && afterWork,
    }
  }

  /** Counts an injected fault (called as it is applied). */
  count(kind: WireFaultKind, addedLatencyMs = 0): void {
    addWireFault(this.counts, kind, addedLatencyMs)
  }
}

/** Adds one injected fault to a set of counts. */
export function addWireFault(
  counts: WireFaultCounts,
  kind: WireFaultKind,
  addedLatencyMs = 0,
): void {
  if (kind === 'latency') {
    counts.delayed += 1
    counts.addedLatencyMs += addedLatencyMs
  } else if (kind === 'internal-error') counts.internalErrors += 1
  else if (kind === 'unavailable') counts.unavailable += 1
  else counts.connectionResets += 1
}

/** Whether the settings inject anything at the DynamoDB endpoint. */
export function injectsAtDynamoDb(settings: DynamoDbFaultSettings): boolean {
  return (
    settings.latencyMs !== undefined ||
    settings.internalErrorRate > 0 ||
    settings.unavailableRate > 0 ||
    settings.connectionResetRate > 0
  )
}
