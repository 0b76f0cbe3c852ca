import { readFile } from 'node:fs/promises'
import type { LoadTestOptions, Scenario } from '../../loadtest/index.js'
import { UsageError } from '../command.js'

/** More tokens than the most virtual users a scenario may have is a mistake, not a plan. */
const MAX_TOKENS = 100_000

/**
 * Reads `--bearer-file`: one token a line (a `Bearer ` in front is allowed), blank lines and
 * `#` comments skipped. The tokens are never printed: errors name the line, not its content.
 */
export async function readBearerFile(file: string): Promise<string[]> {
  let text: string
  try {
    text = await readFile(file, 'utf8')
  } catch (error) {
    throw new UsageError(
      `option --bearer-file: cannot read '${file}': ${(error as Error).message}`,
      {
        cause: error,
      },
    )
  }
  const tokens: string[] = []
  for (const [index, raw] of text.split(/\r?\n/).entries()) {
    const line = raw.trim()
    if (line === '' || line.startsWith('#')) continue
    const token = line.replace(/^Bearer\s+/i, '')
    if (/[\s\p{Cc}]/u.test(token)) {
      throw new UsageError(
        `option --bearer-file: line ${index + 1} of '${file}' is not one token (it has spaces or control characters)`,
      )
    }
    tokens.push(token)
  }
  if (tokens.length === 0) {
    throw new UsageError(`option --bearer-file: '${file}' holds no token (one per line)`)
  }
  if (tokens.length > MAX_TOKENS) {
    throw new UsageError(`option --bearer-file: '${file}' holds more than ${MAX_TOKENS} tokens`)
  }
  return tokens
}

/**
 * What the tokens change in a run: virtual user i sends token i mod N. An open model's users
 * exist only to carry per-user headers, so it gets at least one per token and every token is
 * used in turn. Set-up and `--verify` use the first token, unless `--header` gives an
 * Authorization of its own for them.
 */
export function withBearerTokens(
  tokens: readonly string[],
  scenario: Scenario,
  headers: Record<string, string>,
): Pick<LoadTestOptions, 'scenario' | 'headers' | 'headersForUser'> {
  const load =
    scenario.load.model === 'open'
      ? { ...scenario.load, virtualUsers: Math.max(scenario.load.virtualUsers, tokens.length) }
      : scenario.load
  const hasOwn = Object.keys(headers).some((name) => name.toLowerCase() === 'authorization')
  return {
    scenario: { ...scenario, load },
    headers: hasOwn ? headers : { ...headers, authorization: `Bearer ${tokens[0]}` },
    headersForUser: (userIndex) => ({
      authorization: `Bearer ${tokens[userIndex % tokens.length]}`,
    }),
  }
}
