import { App, type AppProps } from 'aws-cdk-lib'
import { settingsFromContext, stackNameOf } from './settings.js'
import { AplusStack } from './stack.js'

/**
 * The CDK app: one AplusStack for the topology and capacity its context asks for. The context
 * comes from the CLI (`cdk synth -c topology=services` over cdk.json's defaults and feature
 * flags) or, in tests, from `props.context`, which should start from cdk.json's.
 */
export function createAplusApp(props: AppProps = {}): { app: App; stack: AplusStack } {
  const app = new App(props)
  const settings = settingsFromContext((key) => app.node.tryGetContext(key))
  const stack = new AplusStack(app, stackNameOf(settings.topology), { settings })
  return { app, stack }
}
