import type { Handler } from '../types.js'

/**
 * `GET /health`: the function is up and its module initialized. It does not touch DynamoDB, so
 * health checks cost no capacity and stay green while the table throttles (the throttling shows
 * as 503s on the routes that need the table).
 */
export const health: Handler = async () => ({ statusCode: 200, body: { status: 'ok' } })
