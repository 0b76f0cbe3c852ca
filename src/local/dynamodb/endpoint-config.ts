import { readFile } from 'node:fs/promises'
import { z } from 'zod'
import {
  type GovernorConfig,
  GovernorConfigError,
  resolveGovernorConfig,
} from './governor/config.js'

/**
 * The JSON file `aplus dynamodb --config FILE` reads: the same settings as its flags, plus every
 * governor setting. Example:
 *
 *   { "port": 8000, "capacity": "provisioned:25/25",
 *     "governor": { "burstSeconds": 0, "startingBalance": "empty" } }
 */
const endpointFileSchema = z
  .object({
    port: z.number().int().min(0).max(65_535).optional(),
    capacity: z.string().min(1).optional(),
    data: z.string().min(1).optional(),
    governor: z.unknown().optional(),
  })
  .strict()

export interface EndpointConfig {
  port?: number | undefined
  capacity?: string | undefined
  data?: string | undefined
  governor: GovernorConfig
}

export class EndpointConfigError extends Error {
  override readonly name = 'EndpointConfigError'
}

/** Reads and checks a config file; every problem is an EndpointConfigError naming file and option. */
export async function readEndpointConfig(path: string): Promise<EndpointConfig> {
  let text: string
  try {
    text = await readFile(path, 'utf8')
  } catch (error) {
    const reason = (error as NodeJS.ErrnoException).code ?? String(error)
    throw new EndpointConfigError(`config file ${path} cannot be read (${reason})`, {
      cause: error,
    })
  }
  return parseEndpointConfig(text, path)
}

/** Checks a config file's text; `path` names it in errors. */
export function parseEndpointConfig(text: string, path: string): EndpointConfig {
  let json: unknown
  try {
    json = JSON.parse(text)
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error)
    throw new EndpointConfigError(`config file ${path} is not valid JSON: ${reason}`, {
      cause: error,
    })
  }
  const parsed = endpointFileSchema.safeParse(json)
  if (!parsed.success) {
    const problems = parsed.error.issues.map((issue) => {
      const option = issue.path.map(String).join('.')
      return `${option === '' ? 'top level' : `option '${option}'`}: ${issue.message}`
    })
    throw new EndpointConfigError(`config file ${path}: ${problems.join('; ')}`)
  }
  try {
    const governor = resolveGovernorConfig(
      parsed.data.governor ?? {},
      `config file ${path}: governor`,
    )
    return { ...parsed.data, governor }
  } catch (error) {
    if (error instanceof GovernorConfigError)
      throw new EndpointConfigError(error.message, { cause: error })
    throw error
  }
}
