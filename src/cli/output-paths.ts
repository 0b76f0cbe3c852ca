import { constants } from 'node:fs'
import { access, mkdir, stat } from 'node:fs/promises'
import { dirname, resolve } from 'node:path'
import { UsageError } from './command.js'

/**
 * Checks, before any work starts, that an output the user named can be written, so a run does
 * not fail at its end (or lose what it measured) for want of a folder. Each failure is a
 * UsageError naming the option.
 */

/** A directory that will receive files: created if missing, and writable. */
export async function writableDirectory(option: string, directory: string): Promise<void> {
  try {
    await mkdir(directory, { recursive: true })
    await access(directory, constants.W_OK)
  } catch (error) {
    throw new UsageError(`option --${option}: cannot write to '${directory}' (${codeOf(error)})`, {
      cause: error,
    })
  }
}

/** A file that will be written: not a directory, in an existing writable folder. */
export async function writableFile(option: string, file: string): Promise<void> {
  const path = resolve(file)
  const existing = await stat(path).catch(() => undefined)
  if (existing?.isDirectory()) {
    throw new UsageError(`option --${option}: '${file}' is a directory; name a file`)
  }
  try {
    const folder = await stat(dirname(path))
    if (!folder.isDirectory())
      throw Object.assign(new Error('not a directory'), { code: 'ENOTDIR' })
    await access(dirname(path), constants.W_OK)
  } catch (error) {
    throw new UsageError(
      `option --${option}: the folder of '${file}' does not exist or is not writable (${codeOf(error)})`,
      { cause: error },
    )
  }
}

function codeOf(error: unknown): string {
  return (error as NodeJS.ErrnoException).code ?? String(error)
}
