import { newId } from './ids.js'
import { createLogger } from './logger.js'
import type { HandlerContext } from './types.js'

/**
 * The context of a function none of whose routes touch data (health, the 404/405 answers): it
 * has no DynamoDB client, so its bundle carries no AWS SDK and its cold start loads none.
 */
export function createStorelessContext(): HandlerContext {
  return {
    get store(): never {
      throw new Error('this function was built without a data store: none of its routes needs one')
    },
    log: createLogger(),
    now: () => new Date(),
    newId,
  }
}
