import { execFile } from 'node:child_process'
import { promisify } from 'node:util'
import { describe, expect, it } from 'vitest'
import {
  cdkCliPath,
  cdkDeployArguments,
  contextArguments,
  shellLine,
} from '../../src/infra/cdk-command.js'
import { settingsFromContext } from '../../src/infra/settings.js'

const run = promisify(execFile)

describe('the cdk command line', () => {
  it('carries settings as context the CDK app reads back to the same settings', () => {
    const settings = settingsFromContext(
      (key) =>
        ({
          topology: 'services',
          capacity: 'provisioned:30/10,index=5/5,autoscale=100/100,target=50',
          reservedConcurrency: 'grades=3',
          jwtIssuer: 'https://login.example.edu/realms/aplus',
          jwtAudience: 'aplus-api,aplus-web',
          jwtScopePrefix: 'api:',
        })[key],
    )
    const context: Record<string, string> = {}
    const words = contextArguments(settings)
    for (let i = 0; i < words.length; i += 2) {
      expect(words[i]).toBe('-c')
      const [key, ...value] = String(words[i + 1]).split('=')
      context[String(key)] = value.join('=')
    }
    expect(settingsFromContext((key) => context[key])).toEqual(settings)
    expect(cdkDeployArguments(settings, { outputsFile: 'out.json' }).slice(0, 2)).toEqual([
      'deploy',
      'APlus-services',
    ])
  })

  it('quotes only the words a shell would split or expand', () => {
    expect(shellLine(['cdk', '-c', 'capacity=on-demand,max=1/1', "it's", 'a b', '$HOME'])).toBe(
      "cdk -c capacity=on-demand,max=1/1 'it'\\''s' 'a b' '$HOME'",
    )
  })

  it("runs the project's own CDK CLI, a 2.x", async () => {
    const { stdout } = await run(process.execPath, [cdkCliPath(), '--version'])
    expect(stdout).toMatch(/^2\.\d+\.\d+/)
  })
})
