import type { StoreProfileName } from './profile.js'

/** The environment variables that configure a function's store (see createStoreFromEnvironment). */
export const STORE_ENVIRONMENT = {
  tableName: 'TABLE_NAME',
  storeProfile: 'APLUS_STORE_PROFILE',
} as const

/**
 * What every function's environment holds for its store, wherever it runs: the local cloud and
 * the CDK app both call this, so the two cannot set different variables.
 */
export function storeEnvironment(settings: {
  tableName: string
  storeProfile: StoreProfileName
}): Record<string, string> {
  return {
    [STORE_ENVIRONMENT.tableName]: settings.tableName,
    [STORE_ENVIRONMENT.storeProfile]: settings.storeProfile,
  }
}
