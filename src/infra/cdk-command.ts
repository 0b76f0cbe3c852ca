import { createRequire } from 'node:module'
import { join } from 'node:path'
import { formatCapacitySpec } from '../store/capacity.js'
import { PACKAGE_ROOT } from '../topology/bundle.js'
import type { Topology } from '../topology/topologies.js'
import { IDENTITY_CONTEXT_KEYS, type IdentitySettings } from './identity-settings.js'
import { CONTEXT_KEYS, type DeploymentSettings, stackNameOf } from './settings.js'

/** The project's own CDK CLI (the aws-cdk devDependency), run with this Node. */
export function cdkCliPath(): string {
  return createRequire(import.meta.url).resolve('aws-cdk/bin/cdk')
}

/** Where `aplus deploy` asks cdk to write the stack's outputs (ApiUrl, TableName). */
export function outputsFileOf(topology: Topology): string {
  return join(PACKAGE_ROOT, '.aplus', 'deploy', `${stackNameOf(topology)}.json`)
}

/** The `-c key=value` arguments that give the CDK app a deployment's settings. */
export function contextArguments(settings: DeploymentSettings): string[] {
  const reserved = Object.entries(settings.reservedConcurrency)
    .map(([name, count]) => `${name}=${count}`)
    .join(',')
  const pairs: [string, string][] = [
    [CONTEXT_KEYS.topology, settings.topology],
    [CONTEXT_KEYS.capacity, formatCapacitySpec(settings.capacity)],
    [CONTEXT_KEYS.storeProfile, settings.storeProfile],
    ...(reserved ? [[CONTEXT_KEYS.reservedConcurrency, reserved] as [string, string]] : []),
    ...identityPairs(settings.identity),
  ]
  return pairs.flatMap(([key, value]) => ['-c', `${key}=${value}`])
}

/** Nothing for the stack's own user pool; the issuer, audiences and prefix of another one. */
function identityPairs(identity: IdentitySettings): [string, string][] {
  if (identity.provider === 'cognito') return []
  return [
    [IDENTITY_CONTEXT_KEYS.issuer, identity.issuer],
    [IDENTITY_CONTEXT_KEYS.audience, identity.audiences.join(',')],
    ...(identity.scopePrefix
      ? [[IDENTITY_CONTEXT_KEYS.scopePrefix, identity.scopePrefix] as [string, string]]
      : []),
  ]
}

/** `cdk deploy` of one deployment's stack; `extra` goes to cdk as given (e.g. --profile). */
export function cdkDeployArguments(
  settings: DeploymentSettings,
  options: { outputsFile: string; extra?: readonly string[] },
): string[] {
  return [
    'deploy',
    stackNameOf(settings.topology),
    ...contextArguments(settings),
    '--outputs-file',
    options.outputsFile,
    ...(options.extra ?? []),
  ]
}

/**
 * `cdk destroy` of a topology's stack. The app still synthesizes to find the stack, so it gets
 * the settings too (cdk skips bundling when destroying).
 */
export function cdkDestroyArguments(
  settings: DeploymentSettings,
  options: { force?: boolean; extra?: readonly string[] } = {},
): string[] {
  return [
    'destroy',
    stackNameOf(settings.topology),
    ...contextArguments(settings),
    ...(options.force ? ['--force'] : []),
    ...(options.extra ?? []),
  ]
}

/** A command line as a POSIX shell would read it back, for printing. */
export function shellLine(words: readonly string[]): string {
  return words
    .map((word) => (/^[\w@%+=:,./-]+$/.test(word) ? word : `'${word.replaceAll("'", "'\\''")}'`))
    .join(' ')
}

/**
 * Runs the project's CDK CLI in the package root (where cdk.json is) with this terminal, and
 * resolves to its exit code. The command line goes to stderr first, so the user sees what runs.
 */
export async function runCdk(cdkArguments: readonly string[]): Promise<number> {
  const { spawn } = await import('node:child_process')
  process.stderr.write(`aplus: ${shellLine(['npx', 'cdk', ...cdkArguments])}\n`)
  const child = spawn(process.execPath, [cdkCliPath(), ...cdkArguments], {
    cwd: PACKAGE_ROOT,
    stdio: 'inherit',
  })
  return new Promise((resolve, reject) => {
    child.once('error', reject)
    child.once('exit', (code, signal) => resolve(code ?? (signal ? 128 : 1)))
  })
}
