/**
 * Structured logs as JSON lines on stdout/stderr, which Lambda sends to CloudWatch as they are.
 * The level comes from APLUS_LOG_LEVEL (error, warn, info, debug); the default, warn, keeps a
 * busy local cloud quiet while still reporting every 5xx.
 */
export interface Logger {
  error(message: string, fields?: Record<string, unknown>): void
  warn(message: string, fields?: Record<string, unknown>): void
  info(message: string, fields?: Record<string, unknown>): void
  debug(message: string, fields?: Record<string, unknown>): void
}

const LEVELS = ['error', 'warn', 'info', 'debug'] as const
type Level = (typeof LEVELS)[number]

export function createLogger(level: string | undefined = process.env.APLUS_LOG_LEVEL): Logger {
  const threshold = LEVELS.indexOf((level ?? 'warn') as Level)
  const enabled = (candidate: Level) => LEVELS.indexOf(candidate) <= (threshold < 0 ? 1 : threshold)
  const write =
    (candidate: Level) =>
    (message: string, fields: Record<string, unknown> = {}) => {
      if (!enabled(candidate)) return
      const line = JSON.stringify({
        level: candidate,
        message,
        ...fields,
        time: new Date().toISOString(),
      })
      if (candidate === 'error' || candidate === 'warn') console.error(line)
      else console.log(line)
    }
  return { error: write('error'), warn: write('warn'), info: write('info'), debug: write('debug') }
}

/** Describes a thrown value for a log line without losing its name or cause. */
export function describeError(error: unknown): Record<string, unknown> {
  if (!(error instanceof Error)) return { error: String(error) }
  return {
    error: error.name,
    errorMessage: error.message,
    stack: error.stack,
    ...(error.cause === undefined ? {} : { cause: describeError(error.cause) }),
  }
}
