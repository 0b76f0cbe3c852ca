import type { Command } from '../command.js'
import { buildCommand } from './build.js'
import { deployCommand } from './deploy.js'
import { destroyCommand } from './destroy.js'
import { devCommand } from './dev.js'
import { dynamodbCommand } from './dynamodb.js'
import { experimentCommand } from './experiment.js'
import { loadtestCommand } from './loadtest.js'
import { soakCommand } from './soak.js'
import { tokenCommand } from './token.js'

/** Every `aplus` subcommand, in the order `aplus --help` lists them. */
export const commands: readonly Command[] = [
  experimentCommand,
  devCommand,
  loadtestCommand,
  soakCommand,
  dynamodbCommand,
  buildCommand,
  deployCommand,
  destroyCommand,
  tokenCommand,
]
