import { createAplusApp } from './app.js'
import { InfraConfigError } from './errors.js'

/**
 * The entry the CDK CLI runs (cdk.json's "app"). A bad context value ends the synth with one
 * line naming the context key, not a stack trace.
 */
try {
  createAplusApp().app.synth()
} catch (error) {
  if (!(error instanceof InfraConfigError)) throw error
  process.stderr.write(`aplus cdk app: ${error.message}\n`)
  process.exitCode = 1
}
