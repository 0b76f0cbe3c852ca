import { Agent as HttpAgent } from 'node:http'
import { Agent as HttpsAgent } from 'node:https'
import { DynamoDBClient, type DynamoDBClientConfig } from '@aws-sdk/client-dynamodb'
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb'
import type { StoreProfile } from './profile.js'
import { BackoffRetryStrategy } from './retry.js'

/**
 * The DynamoDB client for one execution environment. Region, credentials and (locally) the
 * endpoint come from the environment exactly as on Lambda: AWS_REGION, the credential variables,
 * and the SDK's own AWS_ENDPOINT_URL_DYNAMODB, so no code path here knows it runs locally.
 */
export function createDocumentClient(profile: StoreProfile): DynamoDBDocumentClient {
  const config: DynamoDBClientConfig = {}
  const settings = profile.client
  if (settings.backoffRetry) {
    config.retryStrategy = new BackoffRetryStrategy(settings.backoffRetry)
  } else {
    if (settings.maxAttempts !== undefined) config.maxAttempts = settings.maxAttempts
    if (settings.retryMode !== undefined) config.retryMode = settings.retryMode
  }
  if (settings.maxSockets !== undefined) {
    config.requestHandler = {
      httpAgent: new HttpAgent({ keepAlive: true, maxSockets: settings.maxSockets }),
      httpsAgent: new HttpsAgent({ keepAlive: true, maxSockets: settings.maxSockets }),
      ...(settings.connectionTimeoutMs === undefined
        ? {}
        : { connectionTimeout: settings.connectionTimeoutMs }),
      ...(settings.requestTimeoutMs === undefined
        ? {}
        : { requestTimeout: settings.requestTimeoutMs }),
    }
  }
  return DynamoDBDocumentClient.from(new DynamoDBClient(config), {
    marshallOptions: { removeUndefinedValues: true },
  })
}
