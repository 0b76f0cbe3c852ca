import { StoreError } from './errors.js'

/** A cursor the client sent that this listing never handed out. */
export class InvalidCursorError extends StoreError {
  override name = 'InvalidCursorError'

  constructor() {
    super('cursor is not one this listing returned')
  }
}

type StartKey = Record<string, string>

/** Wraps DynamoDB's LastEvaluatedKey as an opaque URL-safe string. */
export function encodeCursor(
  lastEvaluatedKey: Record<string, unknown> | undefined,
): string | undefined {
  if (!lastEvaluatedKey) return undefined
  return Buffer.from(JSON.stringify(lastEvaluatedKey)).toString('base64url')
}

/**
 * What each key attribute of a listing's cursor must be: a pattern, or the exact value (the
 * partition the listing reads). Values are checked against the key formats the store writes, so a
 * forged cursor can neither read another partition nor reach DynamoDB as a key it would refuse
 * (an empty string, a key over its size limit, broken UTF-16).
 */
export type CursorShape = Readonly<Record<string, RegExp | string>>

/**
 * Unwraps a cursor into an ExclusiveStartKey, accepting exactly the key attributes of `shape`,
 * each of the form it requires, and nothing else; `consistent` checks how they relate.
 */
export function decodeCursor(
  cursor: string,
  shape: CursorShape,
  consistent: (key: Readonly<StartKey>) => boolean = () => true,
): StartKey {
  let parsed: unknown
  try {
    parsed = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'))
  } catch {
    throw new InvalidCursorError()
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
    throw new InvalidCursorError()
  }
  const entries = Object.entries(parsed)
  const matches =
    entries.length === Object.keys(shape).length &&
    entries.every(([name, value]) => Object.hasOwn(shape, name) && fits(value, shape[name]))
  if (!matches || !consistent(parsed as StartKey)) throw new InvalidCursorError()
  return parsed as StartKey
}

function fits(value: unknown, expected: RegExp | string | undefined): boolean {
  if (typeof value !== 'string' || expected === undefined) return false
  return typeof expected === 'string' ? value === expected : expected.test(value)
}
