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
 * Unwraps a cursor into an ExclusiveStartKey, accepting only the exact key attributes of the
 * listing and the partition it was issued for, so a forged cursor cannot read elsewhere or reach
 * DynamoDB as an invalid key.
 */
export function decodeCursor(
  cursor: string,
  keyAttributes: readonly string[],
  fixed: Readonly<Record<string, string>>,
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
  const shapeMatches =
    entries.length === keyAttributes.length &&
    entries.every(([name, value]) => keyAttributes.includes(name) && typeof value === 'string')
  const partitionMatches = Object.entries(fixed).every(
    ([name, value]) => (parsed as StartKey)[name] === value,
  )
  if (!shapeMatches || !partitionMatches) throw new InvalidCursorError()
  return parsed as StartKey
}
