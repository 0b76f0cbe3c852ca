import { createStoreFromEnvironment, type Store } from '../store/index.js'
import { newId } from './ids.js'
import { createLogger, type Logger } from './logger.js'
import type { HandlerContext } from './types.js'

/** The handler context of one execution environment, from its environment variables. */
export function createHandlerContext(
  options: { store?: Store; log?: Logger; now?: () => Date } = {},
): HandlerContext {
  return {
    store: options.store ?? createStoreFromEnvironment(),
    log: options.log ?? createLogger(),
    now: options.now ?? (() => new Date()),
    newId,
  }
}
