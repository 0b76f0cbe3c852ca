import { constants } from 'node:fs'
import { access, mkdir } from 'node:fs/promises'

/** A directory the local DynamoDB cannot keep its data in; the message says why. */
export class DataDirectoryError extends Error {
  override readonly name = 'DataDirectoryError'

  constructor(
    readonly path: string,
    reason: string,
    options?: ErrorOptions,
  ) {
    super(`cannot keep DynamoDB's data in ${path}: ${reason}`, options)
  }
}

/** Creates the directory if needed and checks it can be read and written. */
export async function prepareDataDirectory(path: string): Promise<void> {
  try {
    await mkdir(path, { recursive: true })
    await access(path, constants.R_OK | constants.W_OK)
  } catch (error) {
    throw new DataDirectoryError(path, reasonOf(error), { cause: error })
  }
}

/** The store failed to open on a directory that exists: locked by another process, or damaged. */
export function openFailure(path: string, error: unknown): DataDirectoryError {
  const detail = String((error as { cause?: unknown })?.cause ?? error)
  const reason = /lock/i.test(detail)
    ? 'another process has it open (one local DynamoDB per data directory)'
    : detail
  return new DataDirectoryError(path, reason, { cause: error })
}

function reasonOf(error: unknown): string {
  const { code, message } = error as NodeJS.ErrnoException
  return code ? `${code} (${message})` : String(error)
}
