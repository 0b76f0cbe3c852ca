import type { Command } from '../command.js'
import { buildCommand } from './build.js'
import { deployCommand } from './deploy.js'
import { destroyCommand } from './destroy.js'
import { devCommand } from './dev.js'

/** Every `aplus` subcommand, in the order `aplus --help` lists them. */
export const commands: readonly Command[] = [
  devCommand,
  buildCommand,
  deployCommand,
  destroyCommand,
]
