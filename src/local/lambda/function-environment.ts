import { basename, dirname } from 'node:path'
import { EXECUTION_ENV, FUNCTION_VERSION } from './defaults.js'
import type { EnvironmentData } from './runtime/protocol.js'
import type { LambdaFunctionConfig, LambdaServiceOptions } from './service.js'

/** What an environment knows of its function, as Lambda's runtime learns it. */
export function environmentData(
  config: LambdaFunctionConfig,
  options: LambdaServiceOptions,
): Omit<EnvironmentData, 'logStreamName'> {
  const region = options.region ?? 'us-east-1'
  const accountId = options.accountId ?? '000000000000'
  const handlerExport = config.handlerExport ?? 'handler'
  const moduleName = basename(config.bundleFile).replace(/\.[cm]?js$/, '')
  return {
    bundleFile: config.bundleFile,
    handlerExport,
    handlerSetting: `${moduleName}.${handlerExport}`,
    functionName: config.name,
    functionVersion: FUNCTION_VERSION,
    memoryMb: config.memoryMb,
    invokedFunctionArn: `arn:aws:lambda:${region}:${accountId}:function:${config.name}`,
    logGroupName: `/aws/lambda/${config.name}`,
  }
}

/** The variables Lambda sets in every environment, then the function's own configuration. */
export function functionEnvironment(
  config: LambdaFunctionConfig,
  options: LambdaServiceOptions,
): Record<string, string> {
  const region = options.region ?? 'us-east-1'
  const data = environmentData(config, options)
  return {
    // Functions deploy on nodejs22.x; locally they run on this Node, and the SDK's notice that
    // its 2027 releases need Node 22 would otherwise open every environment's log.
    AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
    ...config.environment,
    AWS_REGION: region,
    AWS_DEFAULT_REGION: region,
    AWS_EXECUTION_ENV: EXECUTION_ENV,
    AWS_LAMBDA_FUNCTION_NAME: config.name,
    AWS_LAMBDA_FUNCTION_MEMORY_SIZE: String(config.memoryMb),
    AWS_LAMBDA_FUNCTION_VERSION: FUNCTION_VERSION,
    AWS_LAMBDA_LOG_GROUP_NAME: data.logGroupName,
    LAMBDA_TASK_ROOT: dirname(config.bundleFile),
    LAMBDA_RUNTIME_DIR: '/var/runtime',
    _HANDLER: data.handlerSetting,
    // Node's time zone is per process, not per thread: this states Lambda's value, and the
    // local cloud's process must itself run in UTC for Date to agree.
    TZ: ':UTC',
    LANG: 'en_US.UTF-8',
    PATH: process.env.PATH ?? '/usr/local/bin:/usr/bin:/bin',
  }
}
