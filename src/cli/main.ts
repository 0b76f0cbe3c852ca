import { type Command, EXIT_USAGE, UsageError } from './command.js'
import { commands } from './commands/index.js'

const programUsage = (): string => {
  const width = Math.max(...commands.map((command) => command.name.length))
  const list = commands.map((command) => `  ${command.name.padEnd(width)}  ${command.summary}`)
  return [
    'Usage: aplus <command> [options]',
    '',
    'Commands:',
    ...list,
    '',
    'Run `aplus <command> --help` for the options of one command.',
  ].join('\n')
}

function findCommand(name: string): Command {
  const command = commands.find((candidate) => candidate.name === name)
  if (!command) {
    const names = commands.map((candidate) => candidate.name).join(', ')
    throw new UsageError(`unknown command '${name}'; commands are: ${names}`)
  }
  return command
}

/** Runs the `aplus` command line and resolves to the exit code; never calls process.exit. */
export async function main(argv: readonly string[]): Promise<number> {
  const [name, ...rest] = argv
  if (name === undefined || name === '--help' || name === '-h' || name === 'help') {
    process.stdout.write(`${programUsage()}\n`)
    return name === undefined ? EXIT_USAGE : 0
  }
  try {
    const command = findCommand(name)
    if (rest.includes('--help') || rest.includes('-h')) {
      process.stdout.write(`${command.usage.trimEnd()}\n`)
      return 0
    }
    return await command.run(rest)
  } catch (error) {
    if (error instanceof UsageError) {
      process.stderr.write(`aplus ${name}: ${error.message}\n`)
      return EXIT_USAGE
    }
    throw error
  }
}
