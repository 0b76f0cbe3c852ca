import { DynamoDbEngine, type DynamoDbEngineOptions, SUPPORTED_OPERATIONS } from './engine.js'
import { type DynamoDbServer, startDynamoDbServer } from './server.js'

export interface LocalDynamoDbOptions extends DynamoDbEngineOptions {
  port?: number
  onInternalError?: (error: unknown) => void
}

export interface LocalDynamoDb {
  readonly engine: DynamoDbEngine
  readonly server: DynamoDbServer
  /** The endpoint URL, for AWS_ENDPOINT_URL_DYNAMODB. */
  readonly url: string
  close(): Promise<void>
}

/** Starts the local DynamoDB: the in-process engine behind a wire-protocol server on loopback. */
export async function startLocalDynamoDb(
  options: LocalDynamoDbOptions = {},
): Promise<LocalDynamoDb> {
  const engine = DynamoDbEngine.open(options)
  const server = await startDynamoDbServer({
    handle: (operation, body) => engine.execute(operation, body),
    operations: SUPPORTED_OPERATIONS,
    ...(options.port === undefined ? {} : { port: options.port }),
    ...(options.onInternalError ? { onInternalError: options.onInternalError } : {}),
  })
  return {
    engine,
    server,
    url: server.url,
    async close() {
      await server.close()
      await engine.close()
    },
  }
}
