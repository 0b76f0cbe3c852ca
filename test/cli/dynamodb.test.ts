import { type ChildProcess, spawn } from 'node:child_process'
import { once } from 'node:events'
import { mkdtemp, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { createInterface } from 'node:readline'
import { DescribeTableCommand, DynamoDBClient } from '@aws-sdk/client-dynamodb'
import { afterEach, describe, expect, it } from 'vitest'
import { APLUS_BIN, aplus } from '../support/cli.js'

async function configFile(contents: string): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'aplus-dynamodb-'))
  const path = join(dir, 'config.json')
  await writeFile(path, contents)
  return path
}

let child: ChildProcess | undefined

afterEach(() => {
  if (child && child.exitCode === null) child.kill('SIGKILL')
  child = undefined
})

describe('aplus dynamodb', () => {
  it('rejects a negative capacity with exit code 2 and names the option', async () => {
    const result = await aplus('dynamodb', '--capacity', 'provisioned:-5/5')
    expect(result.code).toBe(2)
    expect(result.stderr).toContain('option --capacity')
  })

  it('rejects an unknown capacity mode', async () => {
    const result = await aplus('dynamodb', '--capacity', 'reserved:5/5')
    expect(result.code).toBe(2)
    expect(result.stderr).toContain("capacity mode must be 'provisioned' or 'on-demand'")
  })

  it('rejects a non-numeric burst and a bad starting balance', async () => {
    const burst = await aplus('dynamodb', '--burst-seconds', 'lots')
    expect(burst.code).toBe(2)
    expect(burst.stderr).toContain('option --burst-seconds')
    const balance = await aplus('dynamodb', '--starting-balance=-1')
    expect(balance.code).toBe(2)
    expect(balance.stderr).toContain('option --starting-balance')
  })

  it('rejects a config file that is not JSON, naming the file', async () => {
    const path = await configFile('{ "port": ')
    const result = await aplus('dynamodb', '--config', path)
    expect(result.code).toBe(2)
    expect(result.stderr).toContain(`config file ${path} is not valid JSON`)
  })

  it('rejects a config file with a bad governor setting, naming the option', async () => {
    const path = await configFile(JSON.stringify({ governor: { burstSeconds: -3 } }))
    const result = await aplus('dynamodb', '--config', path)
    expect(result.code).toBe(2)
    expect(result.stderr).toContain("option 'burstSeconds'")
    expect(result.stderr).toContain('(got -3)')
  })

  it('rejects a config file with an unknown setting or a bad capacity', async () => {
    const unknown = await aplus('dynamodb', '--config', await configFile('{"prot": 8000}'))
    expect(unknown.code).toBe(2)
    expect(unknown.stderr).toContain('prot')
    const capacity = await aplus(
      'dynamodb',
      '--config',
      await configFile('{"capacity": "provisioned:lots"}'),
    )
    expect(capacity.code).toBe(2)
    expect(capacity.stderr).toContain('capacity: provisioned units must be')
  })

  it('rejects a missing config file', async () => {
    const result = await aplus('dynamodb', '--config', '/nonexistent/aplus.json')
    expect(result.code).toBe(2)
    expect(result.stderr).toContain('cannot be read (ENOENT)')
  })

  it('serves the project table with the given capacity and stops cleanly on Ctrl-C', async () => {
    const path = await configFile(JSON.stringify({ governor: { burstSeconds: 0 } }))
    child = spawn(
      process.execPath,
      [APLUS_BIN, 'dynamodb', '--port', '0', '--capacity', 'provisioned:7/3', '--config', path],
      { stdio: ['ignore', 'pipe', 'pipe'] },
    )
    const stdout = child.stdout
    if (!stdout) throw new Error('no stdout')
    const [url] = (await once(createInterface({ input: stdout }), 'line')) as [string]
    expect(url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/)

    const client = new DynamoDBClient({
      endpoint: url,
      region: 'us-east-1',
      credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
    })
    const { Table } = await client.send(new DescribeTableCommand({ TableName: 'aplus' }))
    client.destroy()
    expect(Table?.ProvisionedThroughput).toMatchObject({
      ReadCapacityUnits: 7,
      WriteCapacityUnits: 3,
    })
    const metrics = (await (await fetch(`${url}/_aplus/metrics`)).json()) as {
      tables: { tableName: string; resources: { write: { capacityUnits: number } }[] }[]
    }
    // burstSeconds 0 from the config file: the bucket holds one second of throughput.
    expect(metrics.tables[0]?.resources[0]?.write.capacityUnits).toBe(3)

    let stderr = ''
    child.stderr?.on('data', (chunk) => {
      stderr += chunk
    })
    child.kill('SIGINT')
    const [code] = await once(child, 'exit')
    expect(code).toBe(0)
    expect(stderr).toContain('stopped')
  })
})
