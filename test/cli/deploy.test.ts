import { describe, expect, it } from 'vitest'
import { PACKAGE_ROOT } from '../../src/topology/bundle.js'
import { aplus } from '../support/cli.js'

describe('aplus deploy', () => {
  it("runs cdk deploy on the topology's stack with every setting as context", async () => {
    const result = await aplus(
      'deploy',
      '--topology',
      'services',
      '--capacity',
      'provisioned:25/25',
      '--dry-run',
    )
    expect(result).toEqual({
      code: 0,
      stdout:
        'npx cdk deploy APlus-services -c topology=services -c capacity=provisioned:25/25 ' +
        `-c storeProfile=sdk-defaults --outputs-file ${PACKAGE_ROOT}/.aplus/deploy/APlus-services.json\n`,
      stderr: '',
    })
  })

  it('passes reserved concurrency, a normalized capacity and everything after -- to cdk', async () => {
    const result = await aplus(
      'deploy',
      '--topology=per-route',
      '--capacity',
      'provisioned:25/25,index=25/25,autoscale=400/400',
      '--reserved-concurrency',
      'enroll-student=10,health=1',
      '--outputs-file',
      '/tmp/out.json',
      '--dry-run',
      '--',
      '--profile',
      'my lab',
    )
    expect(result.code).toBe(0)
    expect(result.stdout).toBe(
      'npx cdk deploy APlus-per-route -c topology=per-route ' +
        '-c capacity=provisioned:25/25,autoscale=400/400,target=70 -c storeProfile=sdk-defaults ' +
        "-c reservedConcurrency=enroll-student=10,health=1 --outputs-file /tmp/out.json --profile 'my lab'\n",
    )
  })

  it.each([
    [[], 'option --topology is required: one of monolith, services, per-route'],
    [
      ['--topology', 'lambda'],
      "option --topology must be one of monolith, services, per-route, got 'lambda'",
    ],
    [
      ['--topology', 'services', '--capacity', 'provisioned:0/25'],
      'option --capacity: provisioned units must be READ/WRITE',
    ],
    [
      ['--topology', 'services', '--store-profile', 'turbo'],
      "option --store-profile must be one of sdk-defaults, seed-era, resilient, adaptive, got 'turbo'",
    ],
    [
      ['--topology', 'services', '--reserved-concurrency', 'monolith=5'],
      "option --reserved-concurrency: 'monolith' is not a function of the services topology",
    ],
    [
      ['--topology', 'services', '--reserved-concurrency', 'students=many'],
      "option --reserved-concurrency: reserved concurrency of 'students' must be a whole number",
    ],
    [
      ['--topology', 'services', '--jwt-issuer', 'http://idp.example'],
      'option --jwt-issuer must be an https URL',
    ],
    [
      ['--topology', 'services', '--jwt-issuer', 'https://idp.example'],
      'option --jwt-audience is required with --jwt-issuer',
    ],
    [
      ['--topology', 'services', '--jwt-audience', 'aplus'],
      'option --jwt-audience needs --jwt-issuer too',
    ],
    [['--topology', 'services', '--region', 'eu-west-1'], "Unknown option '--region'"],
    [['--topology', 'services', 'now'], "unexpected argument 'now'; options for cdk go after --"],
  ])('refuses %j with exit code 2, naming the option', async (args, message) => {
    const result = await aplus('deploy', ...args, '--dry-run')
    expect(result.code).toBe(2)
    expect(result.stdout).toBe('')
    expect(result.stderr).toContain(`aplus deploy: ${message}`)
  })

  it('passes another OIDC issuer as context instead of the default user pool', async () => {
    const result = await aplus(
      'deploy',
      '--topology',
      'monolith',
      '--jwt-issuer',
      'https://login.example.edu/realms/aplus',
      '--jwt-audience',
      'aplus-api',
      '--jwt-scope-prefix',
      'api:',
      '--dry-run',
    )
    expect(result.code).toBe(0)
    expect(result.stdout).toContain(
      '-c jwtIssuer=https://login.example.edu/realms/aplus -c jwtAudience=aplus-api -c jwtScopePrefix=api:',
    )
  })

  it('explains itself, AWS prerequisites included, with --help', async () => {
    const result = await aplus('deploy', '--help')
    expect(result.code).toBe(0)
    expect(result.stdout).toContain('npx cdk bootstrap')
    expect(result.stdout).toContain('--reserved-concurrency LIST')
  })
})

describe('aplus destroy', () => {
  it("runs cdk destroy on the topology's stack, forced only when asked", async () => {
    const asks = await aplus('destroy', '--topology', 'monolith', '--dry-run')
    expect(asks.stdout).toBe(
      'npx cdk destroy APlus-monolith -c topology=monolith -c capacity=provisioned:25/25 -c storeProfile=sdk-defaults\n',
    )
    const forced = await aplus('destroy', '--topology', 'monolith', '--force', '--dry-run')
    expect(forced.stdout).toBe(`${asks.stdout.trimEnd()} --force\n`)
  })

  it('refuses to guess the topology', async () => {
    const result = await aplus('destroy', '--force')
    expect(result.code).toBe(2)
    expect(result.stderr).toBe(
      'aplus destroy: option --topology is required: one of monolith, services, per-route\n',
    )
  })
})
