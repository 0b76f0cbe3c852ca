/** One `aplus` subcommand: its help text and what it does. */
export interface Command {
  readonly name: string
  /** One line for the command list. */
  readonly summary: string
  /** The full `--help` text. */
  readonly usage: string
  /** Runs the command; resolves to the process exit code. */
  run(argv: readonly string[]): Promise<number>
}

/** Exit code for bad flags, bad config files and other input errors found before any work. */
export const EXIT_USAGE = 2

/** A problem with what the user typed or configured; the message names the option and the fix. */
export class UsageError extends Error {
  override readonly name = 'UsageError'
}
