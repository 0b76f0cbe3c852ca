/**
 * Seeded pseudo-random numbers for fault injection: a SplitMix32-style generator (a Weyl
 * sequence through two multiply-xorshift rounds), and named streams derived from one seed, so
 * the DynamoDB endpoint and each function draw their own reproducible sequences and adding a
 * fault to one does not shift another's. Not for cryptography.
 */
export class FaultRandom {
  private state: number

  constructor(seed: number) {
    this.state = seed >>> 0
  }

  /** A float in [0, 1). */
  next(): number {
    this.state = (this.state + 0x9e3779b9) >>> 0
    let mixed = this.state
    mixed = Math.imul(mixed ^ (mixed >>> 16), 0x85ebca6b)
    mixed = Math.imul(mixed ^ (mixed >>> 13), 0xc2b2ae35)
    mixed ^= mixed >>> 16
    return (mixed >>> 0) / 4_294_967_296
  }

  /** True with probability `rate`; always draws, so the sequence does not depend on rates. */
  chance(rate: number): boolean {
    return this.next() < rate
  }
}

/** The stream called `name` of the run seeded with `seed`: the same pair, the same sequence. */
export function faultStream(seed: number, name: string): FaultRandom {
  // FNV-1a over the name, mixed with the seed.
  let hash = 0x811c9dc5
  for (let index = 0; index < name.length; index += 1) {
    hash = Math.imul(hash ^ name.charCodeAt(index), 0x01000193)
  }
  return new FaultRandom((hash ^ Math.imul(seed >>> 0, 0x9e3779b1)) >>> 0)
}
