import { Agent as HttpAgent } from 'node:http'
import { Agent as HttpsAgent } from 'node:https'
import { DynamoDBClient, type DynamoDBClientConfig } from '@aws-sdk/client-dynamodb'
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb'
import type { StoreProfile } from './profile.js'

/**
 * The DynamoDB client for one execution environment. Region, credentials and (locally) the
 * endpoint come from the environment exactly as on Lambda: AWS_REGION, the credential variables,
 * and the SDK's own AWS_ENDPOINT_URL_DYNAMODB, so no code path here knows it runs locally.
 */
export function createDocumentClient(profile: StoreProfile): DynamoDBDocumentClient {
  const config: DynamoDBClientConfig = {}
  const { maxAttempts, retryMode, maxSockets } = profile.client
  if (maxAttempts !== undefined) config.maxAttempts = maxAttempts
  if (retryMode !== undefined) config.retryMode = retryMode
  if (maxSockets !== undefined) {
    config.requestHandler = {
      httpAgent: new HttpAgent({ keepAlive: true, maxSockets }),
      httpsAgent: new HttpsAgent({ keepAlive: true, maxSockets }),
    }
  }
  return DynamoDBDocumentClient.from(new DynamoDBClient(config), {
    marshallOptions: { removeUndefinedValues: true },
  })
}
