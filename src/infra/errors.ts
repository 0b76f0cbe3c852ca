/** A deployment setting (CDK context value or deploy flag) that cannot be used as given. */
export class InfraConfigError extends Error {
  override readonly name = 'InfraConfigError'
}

/**
 * A route whose declared data access (src/infra/data-access.ts) contradicts its `access` in the
 * route table: a programming error, found before anything is synthesized.
 */
export class DataAccessError extends Error {
  override readonly name = 'DataAccessError'
}
