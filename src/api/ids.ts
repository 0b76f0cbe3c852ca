import { randomBytes } from 'node:crypto'
import type { IdPrefix } from './types.js'

const BASE32 = 'abcdefghijklmnopqrstuvwxyz234567'
/** 16 base32 characters carry 80 random bits: collisions are not a practical concern. */
export const ID_RANDOM_CHARS = 16

/** The shape every id of the prefix has, e.g. `stu_q4mz7k2vbx3hnp5r`. */
export const idPattern = (prefix: IdPrefix) =>
  new RegExp(`^${prefix}_[a-z2-7]{${ID_RANDOM_CHARS}}$`)

export function newId(prefix: IdPrefix): string {
  const bytes = randomBytes(ID_RANDOM_CHARS)
  let id = `${prefix}_`
  for (const byte of bytes) id += BASE32[byte & 31]
  return id
}
