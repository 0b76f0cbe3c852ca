import type { DynaliteError } from './dynalite.js'

const DYNAMODB = 'com.amazonaws.dynamodb.v20120810'
const CORAL_SERVICE = 'com.amazon.coral.service'
const CORAL_VALIDATE = 'com.amazon.coral.validate'

export type ErrorBody = { __type: string } & Record<string, unknown>

/**
 * An error as DynamoDB answers it on the wire: an HTTP status and a JSON body whose `__type` is
 * the namespaced exception name, with its message and any extra members (CancellationReasons,
 * ThrottlingReasons…). The body is kept exactly as built, so dynalite's own errors pass unchanged.
 */
export class DynamoDbServiceError extends Error {
  override readonly name = 'DynamoDbServiceError'

  constructor(
    readonly statusCode: number,
    readonly body: ErrorBody,
    options?: ErrorOptions,
  ) {
    super(String(body.message ?? body.Message ?? body.__type), options)
  }

  /** The exception name without its namespace, e.g. `ConditionalCheckFailedException`. */
  get type(): string {
    return this.body.__type.slice(this.body.__type.indexOf('#') + 1)
  }
}

const error = (type: string, message?: string, fields: Record<string, unknown> = {}) =>
  new DynamoDbServiceError(400, {
    __type: type,
    ...(message === undefined ? {} : { message }),
    ...fields,
  })

export const serializationError = (message?: string) =>
  error(`${CORAL_SERVICE}#SerializationException`, message)

export const unknownOperationError = () => error(`${CORAL_SERVICE}#UnknownOperationException`)

export const missingAuthenticationError = () =>
  error(
    `${CORAL_SERVICE}#MissingAuthenticationTokenException`,
    'Request is missing Authentication Token',
  )

/**
 * A body over MAX_REQUEST_BYTES. DynamoDB answers 413; the exact exception name it uses there is
 * not documented, so this one follows the coral naming of its other front-end errors.
 */
export const requestTooLargeError = () =>
  new DynamoDbServiceError(413, {
    __type: `${CORAL_SERVICE}#RequestEntityTooLargeException`,
    message: 'Request entity too large',
  })

/** Request line and headers past what the endpoint reads (Node's maxHeaderSize, 16 KiB). */
export const requestHeadersTooLargeError = () =>
  new DynamoDbServiceError(431, {
    __type: `${CORAL_SERVICE}#RequestHeaderFieldsTooLargeException`,
    message: 'Request header fields too large',
  })

/** The request did not arrive in full within the server's request timeout. */
export const requestTimeoutError = () =>
  new DynamoDbServiceError(408, {
    __type: `${CORAL_SERVICE}#RequestTimeoutException`,
    message: 'Request timed out before it was received in full',
  })

export const validationError = (message: string) =>
  error(`${CORAL_VALIDATE}#ValidationException`, message)

/** A DynamoDB-namespaced exception, e.g. `dynamoDbError('TransactionCanceledException', …)`. */
export const dynamoDbError = (name: string, message: string, fields?: Record<string, unknown>) =>
  error(`${DYNAMODB}#${name}`, message, fields)

/**
 * A cancelled transaction, with one reason per action in request order. DynamoDB spells this
 * exception's message member `Message`, unlike most others.
 */
export const transactionCanceledError = (reasons: readonly { Code: string }[]) =>
  new DynamoDbServiceError(400, {
    __type: `${DYNAMODB}#TransactionCanceledException`,
    CancellationReasons: reasons,
    Message: `Transaction cancelled, please refer cancellation reasons for specific reasons [${reasons
      .map((reason) => reason.Code)
      .join(', ')}]`,
  })

export const internalServerError = (cause: unknown) =>
  new DynamoDbServiceError(
    500,
    { __type: `${DYNAMODB}#InternalServerError`, message: 'Internal server error' },
    { cause },
  )

/** DynamoDB's 503: the request was not processed; the SDK retries it as transient. */
export const serviceUnavailableError = () =>
  new DynamoDbServiceError(503, {
    __type: `${DYNAMODB}#ServiceUnavailable`,
    message: 'Service Unavailable',
  })

/** Turns what dynalite throws into a wire error; anything without a status becomes a 500. */
export function fromDynaliteError(thrown: unknown): DynamoDbServiceError {
  if (thrown instanceof DynamoDbServiceError) return thrown
  const dynalite = thrown as DynaliteError | undefined
  if (dynalite?.statusCode && dynalite.body) {
    return new DynamoDbServiceError(dynalite.statusCode, dynalite.body, { cause: thrown })
  }
  return internalServerError(thrown)
}
