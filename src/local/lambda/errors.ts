/** A Lambda setting the local service cannot honour; the message names the setting and why. */
export class LambdaConfigError extends Error {
  override readonly name = 'LambdaConfigError'
}

/** An invocation named a function the service does not have. */
export class UnknownFunctionError extends Error {
  override readonly name = 'UnknownFunctionError'

  constructor(
    readonly functionName: string,
    readonly known: readonly string[],
  ) {
    super(`no function named '${functionName}'; functions are: ${known.join(', ')}`)
  }
}

/** The local service was asked to do something after close(). */
export class LambdaServiceClosedError extends Error {
  override readonly name = 'LambdaServiceClosedError'

  constructor() {
    super('the local Lambda service is closed')
  }
}
