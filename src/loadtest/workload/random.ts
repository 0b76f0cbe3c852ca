/**
 * A small seeded pseudo-random generator (SplitMix32-style mixing of a Weyl sequence), so a run
 * with the same seed generates the same requests and bodies. Not for cryptography.
 */
export class SeededRandom {
  #state: number

  constructor(seed: number) {
    this.#state = seed >>> 0
  }

  /** A float in [0, 1). */
  next(): number {
    this.#state = (this.#state + 0x9e3779b9) >>> 0
    let mixed = this.#state
    mixed = Math.imul(mixed ^ (mixed >>> 16), 0x21f0aaad)
    mixed = Math.imul(mixed ^ (mixed >>> 15), 0x735a2d97)
    mixed ^= mixed >>> 15
    return (mixed >>> 0) / 4294967296
  }

  /** A whole number in [minInclusive, maxInclusive]. */
  integer(minInclusive: number, maxInclusive: number): number {
    return minInclusive + Math.floor(this.next() * (maxInclusive - minInclusive + 1))
  }

  /** One element of a non-empty array. */
  pick<T>(items: readonly T[]): T {
    const item = items[Math.floor(this.next() * items.length)]
    if (item === undefined) throw new RangeError('cannot pick from an empty list')
    return item
  }

  /** A derived generator, so independent streams (per virtual user, per kind) stay reproducible. */
  fork(salt: number): SeededRandom {
    return new SeededRandom(Math.imul(this.#state ^ salt, 0x85ebca6b) + salt)
  }
}
