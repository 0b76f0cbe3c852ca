import { OptionsError, parseBaseUrl } from '../../loadtest/index.js'
import { choiceFlag, integerFlag, numberFlag, parseFlags } from '../args.js'
import { UsageError } from '../command.js'

export interface LoadtestFlags {
  target: string | undefined
  scenarioFile: string | undefined
  ratePerSecond: number | undefined
  virtualUsers: number | undefined
  durationSeconds: number | undefined
  thinkTimeMs: { min: number; max: number } | undefined
  maxRequests: number | undefined
  seed: number | undefined
  connections: number | undefined
  maxInFlight: number | undefined
  requestTimeoutMs: number | undefined
  drainTimeoutMs: number | undefined
  headers: Record<string, string>
  /** A file of bearer tokens, one a line, that the virtual users take in turn. */
  bearerFile: string | undefined
  retries: number
  maxRetryDelayMs: number
  verify: boolean
  thresholds: string[]
  json: boolean
  outFile: string | undefined
  quiet: boolean
  exportFormat: 'k6' | undefined
  dryRun: boolean
}

const OPTIONS = {
  target: { type: 'string' },
  scenario: { type: 'string' },
  rate: { type: 'string' },
  users: { type: 'string' },
  duration: { type: 'string' },
  'think-time': { type: 'string' },
  'max-requests': { type: 'string' },
  seed: { type: 'string' },
  connections: { type: 'string' },
  'max-in-flight': { type: 'string' },
  timeout: { type: 'string' },
  drain: { type: 'string' },
  header: { type: 'string', multiple: true },
  'bearer-file': { type: 'string' },
  retries: { type: 'string' },
  'max-retry-delay': { type: 'string' },
  verify: { type: 'boolean' },
  threshold: { type: 'string', multiple: true },
  json: { type: 'boolean' },
  out: { type: 'string' },
  quiet: { type: 'boolean' },
  export: { type: 'string' },
  'dry-run': { type: 'boolean' },
} as const

function optionalInteger(name: string, value: string | undefined, min: number, max: number) {
  return value === undefined ? undefined : integerFlag(name, value, 0, { min, max })
}

function headerFlags(values: readonly string[]): Record<string, string> {
  const headers: Record<string, string> = {}
  for (const value of values) {
    const colon = value.indexOf(':')
    const name = colon > 0 ? value.slice(0, colon).trim() : ''
    if (!/^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/.test(name)) {
      throw new UsageError(`option --header must look like "Name: value", got '${value}'`)
    }
    if (/[\r\n\0]/.test(value)) {
      throw new UsageError(`option --header: the value of ${name} must be one line, got '${value}'`)
    }
    headers[name] = value.slice(colon + 1).trim()
  }
  return headers
}

function thinkTimeFlag(value: string | undefined): LoadtestFlags['thinkTimeMs'] {
  if (value === undefined) return undefined
  const match = /^(\d+(?:\.\d+)?)(?:-(\d+(?:\.\d+)?))?$/.exec(value.trim())
  const min = Number(match?.[1])
  const max = match?.[2] === undefined ? min : Number(match[2])
  if (!match || min > max) {
    throw new UsageError(
      `option --think-time must be MS or MIN-MAX in ms (min ≤ max), got '${value}'`,
    )
  }
  return { min, max }
}

/** Parses and checks every flag; throws a UsageError naming the first bad one. */
export function parseLoadtestFlags(argv: readonly string[]): LoadtestFlags {
  const { values, positionals } = parseFlags(argv, OPTIONS)
  if (positionals.length > 0) {
    throw new UsageError(`unexpected argument '${positionals[0]}'; the target goes in --target URL`)
  }
  const flags: LoadtestFlags = {
    target: values.target,
    scenarioFile: values.scenario,
    ratePerSecond:
      values.rate === undefined
        ? undefined
        : numberFlag('rate', values.rate, 0, { min: 0.001, max: 1_000_000 }),
    virtualUsers: optionalInteger('users', values.users, 1, 100_000),
    durationSeconds:
      values.duration === undefined
        ? undefined
        : numberFlag('duration', values.duration, 0, { min: 0.001, max: 86_400 }),
    thinkTimeMs: thinkTimeFlag(values['think-time']),
    maxRequests: optionalInteger(
      'max-requests',
      values['max-requests'],
      1,
      Number.MAX_SAFE_INTEGER,
    ),
    seed: optionalInteger('seed', values.seed, 0, 2 ** 32 - 1),
    connections: optionalInteger('connections', values.connections, 1, 10_000),
    maxInFlight: optionalInteger('max-in-flight', values['max-in-flight'], 1, 1_000_000),
    requestTimeoutMs: optionalInteger('timeout', values.timeout, 1, 600_000),
    drainTimeoutMs: optionalInteger('drain', values.drain, 0, 600_000),
    headers: headerFlags(values.header ?? []),
    bearerFile: values['bearer-file'],
    retries: integerFlag('retries', values.retries, 0, { min: 0, max: 10 }),
    maxRetryDelayMs: integerFlag('max-retry-delay', values['max-retry-delay'], 5_000, {
      min: 0,
      max: 600_000,
    }),
    verify: values.verify === true,
    thresholds: values.threshold ?? [],
    json: values.json === true,
    outFile: values.out,
    quiet: values.quiet === true,
    exportFormat:
      values.export === undefined ? undefined : choiceFlag('export', values.export, ['k6'], 'k6'),
    dryRun: values['dry-run'] === true,
  }
  checkCombinations(flags)
  if (flags.target !== undefined) targetFlag(flags.target)
  return flags
}

/** The target is checked with the flags, so `--dry-run` and `--export` catch a bad one too. */
function targetFlag(target: string): void {
  try {
    parseBaseUrl(target)
  } catch (error) {
    if (error instanceof OptionsError) throw new UsageError(`option --target: ${error.message}`)
    throw error
  }
}

function checkCombinations(flags: LoadtestFlags): void {
  if (flags.ratePerSecond !== undefined && flags.virtualUsers !== undefined) {
    throw new UsageError(
      'options --rate (open model) and --users (closed model) exclude each other',
    )
  }
  if (
    flags.thinkTimeMs !== undefined &&
    flags.virtualUsers === undefined &&
    flags.ratePerSecond !== undefined
  ) {
    throw new UsageError('option --think-time applies to the closed model (--users), not to --rate')
  }
  if (
    flags.durationSeconds !== undefined &&
    flags.ratePerSecond === undefined &&
    flags.virtualUsers === undefined
  ) {
    throw new UsageError(
      'option --duration needs --rate or --users (a scenario file sets its own phases)',
    )
  }
  if (flags.target === undefined && flags.exportFormat === undefined && !flags.dryRun) {
    throw new UsageError('option --target is required, e.g. --target http://127.0.0.1:3000')
  }
  if (flags.bearerFile !== undefined && flags.exportFormat !== undefined) {
    throw new UsageError(
      'option --bearer-file does not apply to --export (a k6 script reads its token from the AUTHORIZATION variable)',
    )
  }
  if (flags.json && flags.exportFormat !== undefined) {
    throw new UsageError(
      'option --json does not apply to --export (the script goes to stdout or --out)',
    )
  }
}
