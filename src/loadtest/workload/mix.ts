import type { RequestKindName } from '../contract.js'
import type { Scenario } from '../scenario/schema.js'
import type { SeededRandom } from './random.js'

/** Picks request kinds in proportion to their weights. */
export class RequestMix {
  readonly #kinds: RequestKindName[]
  readonly #cumulativeWeights: number[]
  readonly #totalWeight: number

  constructor(mix: Scenario['mix']) {
    this.#kinds = mix.map((entry) => entry.request)
    let running = 0
    this.#cumulativeWeights = mix.map((entry) => {
      running += entry.weight
      return running
    })
    this.#totalWeight = running
  }

  pick(random: SeededRandom): RequestKindName {
    const point = random.next() * this.#totalWeight
    for (let index = 0; index < this.#kinds.length; index += 1) {
      if (point < (this.#cumulativeWeights[index] as number))
        return this.#kinds[index] as RequestKindName
    }
    return this.#kinds.at(-1) as RequestKindName
  }

  /** Each kind's share of the mix, 0..1. */
  shares(): Record<string, number> {
    const shares: Record<string, number> = {}
    let previous = 0
    this.#kinds.forEach((kind, index) => {
      const cumulative = this.#cumulativeWeights[index] as number
      shares[kind] = (cumulative - previous) / this.#totalWeight
      previous = cumulative
    })
    return shares
  }
}
