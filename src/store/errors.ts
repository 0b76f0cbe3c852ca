/** Base class of what the data layer reports instead of raw DynamoDB errors. */
export class StoreError extends Error {
  override name = 'StoreError'
}

export type Entity = 'student' | 'course' | 'enrollment'

/** The item an operation needs does not exist (a failed existence condition, or a plain miss). */
export class ItemNotFoundError extends StoreError {
  override name = 'ItemNotFoundError'

  constructor(
    readonly entity: Entity,
    readonly id: string,
  ) {
    super(`${entity} ${id} does not exist`)
  }
}

export type ConflictReason = 'already_exists' | 'already_enrolled' | 'course_full'

/** A write refused by a DynamoDB condition because the data says no. */
export class ItemConflictError extends StoreError {
  override name = 'ItemConflictError'

  constructor(
    readonly reason: ConflictReason,
    message: string,
  ) {
    super(message)
  }
}

/**
 * DynamoDB kept refusing for lack of capacity after the SDK's retries. The caller should come
 * back later; `retryAfterSeconds` is the data layer's estimate of when.
 */
export class StoreThrottledError extends StoreError {
  override name = 'StoreThrottledError'

  constructor(
    readonly retryAfterSeconds: number,
    options?: ErrorOptions,
  ) {
    super('DynamoDB refused the request for lack of capacity', options)
  }
}

/** A request repeated with an idempotency key that an earlier, different request used. */
export class IdempotencyMismatchError extends StoreError {
  override name = 'IdempotencyMismatchError'

  constructor(readonly key: string) {
    super(`idempotency key '${key}' was first used with a different request`)
  }
}
