import {
  DYNAMODB_PRICE_PER_MILLION_READ_REQUEST_UNITS_USD,
  DYNAMODB_PRICE_PER_MILLION_WRITE_REQUEST_UNITS_USD,
  DYNAMODB_PRICE_PER_RCU_HOUR_USD,
  DYNAMODB_PRICE_PER_WCU_HOUR_USD,
  HTTP_API_PRICE_PER_MILLION_REQUESTS_USD,
  LAMBDA_ARM64_PRICE_PER_GB_SECOND_USD,
  LAMBDA_PRICE_PER_MILLION_REQUESTS_USD,
  REST_API_PRICE_PER_MILLION_REQUESTS_USD,
} from './prices.js'

/** What a run used, as the local cloud counted it. */
export interface Usage {
  /** Requests the API answered, whatever their status. */
  apiRequests: number
  apiKind: 'http' | 'rest'
  /** Function invocations that ran (throttled ones are not billed). */
  lambdaInvocations: number
  /** Sum over invocations of billed duration × memory, in GB-seconds (init included). */
  lambdaGbSeconds: number
  /** How long the run held the table's capacity, for provisioned tables. */
  durationSeconds: number
  capacity:
    | {
        mode: 'provisioned'
        /** Provisioned units of table and indexes together, averaged over the run. */
        readUnits: number
        writeUnits: number
      }
    | {
        mode: 'on-demand'
        /** Request units consumed by table and indexes together. */
        readRequestUnits: number
        writeRequestUnits: number
      }
}

export interface CostBreakdown {
  apiGatewayUsd: number
  lambdaRequestsUsd: number
  lambdaDurationUsd: number
  dynamodbUsd: number
  totalUsd: number
  /** The run's cost scaled to a million API requests; undefined when nothing was requested. */
  perMillionRequestsUsd: number | undefined
}

const MILLION = 1_000_000
const SECONDS_PER_HOUR = 3600

/**
 * Estimates what a run would have cost on AWS at list prices, ignoring free tiers. Provisioned
 * capacity is charged for the time it was held whether used or not, which is why a provisioned
 * table looks expensive per request when it throttles and cheap when it runs full.
 */
export function estimateCost(usage: Usage): CostBreakdown {
  const apiPrice =
    usage.apiKind === 'http'
      ? HTTP_API_PRICE_PER_MILLION_REQUESTS_USD
      : REST_API_PRICE_PER_MILLION_REQUESTS_USD
  const apiGatewayUsd = (usage.apiRequests / MILLION) * apiPrice
  const lambdaRequestsUsd =
    (usage.lambdaInvocations / MILLION) * LAMBDA_PRICE_PER_MILLION_REQUESTS_USD
  const lambdaDurationUsd = usage.lambdaGbSeconds * LAMBDA_ARM64_PRICE_PER_GB_SECOND_USD
  const dynamodbUsd = dynamoDbCost(usage)
  const totalUsd = apiGatewayUsd + lambdaRequestsUsd + lambdaDurationUsd + dynamodbUsd
  return {
    apiGatewayUsd,
    lambdaRequestsUsd,
    lambdaDurationUsd,
    dynamodbUsd,
    totalUsd,
    perMillionRequestsUsd:
      usage.apiRequests > 0 ? (totalUsd / usage.apiRequests) * MILLION : undefined,
  }
}

function dynamoDbCost(usage: Usage): number {
  const { capacity } = usage
  if (capacity.mode === 'on-demand') {
    return (
      (capacity.readRequestUnits / MILLION) * DYNAMODB_PRICE_PER_MILLION_READ_REQUEST_UNITS_USD +
      (capacity.writeRequestUnits / MILLION) * DYNAMODB_PRICE_PER_MILLION_WRITE_REQUEST_UNITS_USD
    )
  }
  const hours = usage.durationSeconds / SECONDS_PER_HOUR
  return (
    hours * capacity.readUnits * DYNAMODB_PRICE_PER_RCU_HOUR_USD +
    hours * capacity.writeUnits * DYNAMODB_PRICE_PER_WCU_HOUR_USD
  )
}

/** Billed GB-seconds of one invocation: duration rounded up to the millisecond, times memory. */
export function billedGbSeconds(durationMs: number, memoryMb: number): number {
  return (Math.ceil(durationMs) / 1000) * (memoryMb / 1024)
}
