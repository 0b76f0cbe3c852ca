import type { EventLoopUtilization } from 'node:perf_hooks'
import { setFlagsFromString } from 'node:v8'
import { runInNewContext } from 'node:vm'
import type { LocalCloud } from '../../local/cloud.js'

const MB = 1024 * 1024
const megabytes = (bytes: number) => Math.round((bytes / MB) * 100) / 100

/** One environment at one sample. */
export interface EnvironmentSample {
  functionName: string
  /** The first 8 characters of its id. */
  environment: string
  /** V8 heap used after a full collection, MB; undefined when it did not answer in time. */
  heapUsedMb: number | undefined
  /** Share of the time since the previous sample its thread was busy, 0–1. */
  eventLoopUtilization: number
}

export interface SoakSample {
  elapsedSeconds: number
  process: { rssMb: number; heapUsedMb: number; heapTotalMb: number; externalMb: number }
  environments: {
    live: number
    /** Sum of the heaps that answered. */
    heapUsedMb: number
    answered: number
    list: EnvironmentSample[]
  }
  sockets: { gatewayOpen: number; dynamodbOpen: number }
  load: { sent: number; succeeded: number; failed: number }
}

/**
 * Makes V8's gc() callable from this process, before the cloud starts its environments, so each
 * sample can measure the heap that is retained rather than garbage not yet collected. Node has
 * no other switch for it once started; the flag also gives handlers a global gc in soak runs.
 */
export function exposeGc(): () => void {
  setFlagsFromString('--expose-gc')
  return runInNewContext('gc') as () => void
}

/**
 * Measures what can be told apart in one process: the process's RSS (every thread's memory,
 * the environments' included: threads share it, so no environment has an RSS of its own), the
 * main thread's heap after a full collection, each environment's heap after a collection in
 * its own thread, its event loop utilization, and the open connections of the gateway and the
 * DynamoDB endpoint.
 */
export class SoakSampler {
  private readonly startedMs = performance.now()
  private readonly previousUtilization = new Map<string, EventLoopUtilization>()

  constructor(
    private readonly cloud: LocalCloud,
    private readonly gc: () => void,
  ) {}

  async sample(load: SoakSample['load']): Promise<SoakSample> {
    const list = await this.environments()
    this.gc()
    const memory = process.memoryUsage()
    const answered = list.filter((entry) => entry.heapUsedMb !== undefined)
    return {
      elapsedSeconds: Math.round((performance.now() - this.startedMs) / 100) / 10,
      process: {
        rssMb: megabytes(memory.rss),
        heapUsedMb: megabytes(memory.heapUsed),
        heapTotalMb: megabytes(memory.heapTotal),
        externalMb: megabytes(memory.external),
      },
      environments: {
        live: list.length,
        heapUsedMb:
          Math.round(answered.reduce((sum, entry) => sum + (entry.heapUsedMb ?? 0), 0) * 100) / 100,
        answered: answered.length,
        list,
      },
      sockets: {
        gatewayOpen: this.cloud.gateway.connections.open,
        dynamodbOpen: this.cloud.dynamodb.server.connections.open,
      },
      load: { ...load },
    }
  }

  private async environments(): Promise<EnvironmentSample[]> {
    const live = this.cloud.lambda.liveEnvironments()
    const seen = new Set<string>()
    const samples = await Promise.all(
      live.map(async ({ functionName, environment }) => {
        seen.add(environment.id)
        const heap = await environment.heap(true)
        const previous = this.previousUtilization.get(environment.id)
        const utilization = environment.eventLoopUtilization()
        const since = previous ? environment.eventLoopUtilization(previous) : utilization
        this.previousUtilization.set(environment.id, utilization)
        return {
          functionName,
          environment: environment.id.slice(0, 8),
          heapUsedMb: heap === undefined ? undefined : megabytes(heap.usedHeapBytes),
          eventLoopUtilization: Math.round(since.utilization * 1000) / 1000,
        }
      }),
    )
    for (const id of this.previousUtilization.keys()) {
      if (!seen.has(id)) this.previousUtilization.delete(id)
    }
    return samples
  }
}
