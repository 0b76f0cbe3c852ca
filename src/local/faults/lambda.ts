import type { LambdaFaultSettings } from './config.js'
import { type FaultRandom, faultStream } from './random.js'

/**
 * Decides the Lambda faults of each function from its own streams (one for crashes, one for
 * init failures), so one function's traffic does not shift another's faults, and invocations
 * of a function made one at a time get the same faults from the same seed.
 */
export class LambdaFaults {
  private readonly streams = new Map<string, { crash: FaultRandom; init: FaultRandom }>()
  private readonly functions: ReadonlySet<string> | undefined

  constructor(
    private readonly settings: LambdaFaultSettings,
    private readonly seed: number,
  ) {
    this.functions = settings.functions ? new Set(settings.functions) : undefined
  }

  /** Undefined: no crash. Otherwise ms after the handler starts (or at its end if sooner). */
  crashAfterMs(functionName: string): number | undefined {
    const stream = this.streamOf(functionName)
    if (!stream) return undefined
    const crashes = stream.crash.chance(this.settings.crashRate)
    const afterMs = stream.crash.next() * this.settings.crashWithinMs
    return crashes ? afterMs : undefined
  }

  /** Whether the next on-demand environment of the function fails its init. */
  initFails(functionName: string): boolean {
    const stream = this.streamOf(functionName)
    return stream ? stream.init.chance(this.settings.initFailureRate) : false
  }

  private streamOf(functionName: string) {
    if (this.functions && !this.functions.has(functionName)) return undefined
    let stream = this.streams.get(functionName)
    if (!stream) {
      stream = {
        crash: faultStream(this.seed, `lambda:${functionName}:crash`),
        init: faultStream(this.seed, `lambda:${functionName}:init`),
      }
      this.streams.set(functionName, stream)
    }
    return stream
  }
}
