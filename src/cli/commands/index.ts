import type { Command } from '../command.js'
import { loadtestCommand } from './loadtest.js'

/** Every `aplus` subcommand, in the order `aplus --help` lists them. */
export const commands: readonly Command[] = [loadtestCommand]
