/**
 * AWS list prices in us-east-1, as collected in the project's fact sheet (sources there). They are
 * from third-party summaries and older snapshots of AWS's pricing pages: check them before
 * relying on an absolute figure. Comparisons between variants are what the experiment uses them for.
 */

/** Lambda: per request, the same on x86 and arm64. */
export const LAMBDA_PRICE_PER_MILLION_REQUESTS_USD = 0.2
/** Lambda duration on arm64 (the deployed architecture), first 7.5 billion GB-s a month. */
export const LAMBDA_ARM64_PRICE_PER_GB_SECOND_USD = 0.0000133334
/** HTTP API requests, first 300 million a month. */
export const HTTP_API_PRICE_PER_MILLION_REQUESTS_USD = 1.0
/** REST API requests, first 333 million a month. */
export const REST_API_PRICE_PER_MILLION_REQUESTS_USD = 3.5
/** DynamoDB provisioned capacity, per unit held for an hour. */
export const DYNAMODB_PRICE_PER_WCU_HOUR_USD = 0.00065
export const DYNAMODB_PRICE_PER_RCU_HOUR_USD = 0.00013
/** DynamoDB on-demand, since 1 November 2024. */
export const DYNAMODB_PRICE_PER_MILLION_WRITE_REQUEST_UNITS_USD = 0.625
export const DYNAMODB_PRICE_PER_MILLION_READ_REQUEST_UNITS_USD = 0.125

/** Lambda bills duration in 1 ms steps. */
export const LAMBDA_BILLING_GRANULARITY_MS = 1
