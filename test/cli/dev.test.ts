import { createServer } from 'node:net'
import { describe, expect, it } from 'vitest'
import { aplus, startAplus } from '../support/cli.js'

describe('aplus dev', () => {
  it('prints the base URL on one line, serves the API, and stops on Ctrl-C', async () => {
    const dev = await startAplus('dev', '--topology', 'services')
    expect(dev.firstLine).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/)
    const health = await fetch(`${dev.firstLine}/health`)
    expect(health.status).toBe(200)

    const course = { title: 'Logic', capacity: 3 }
    const post = (headers: Record<string, string>) =>
      fetch(`${dev.firstLine}/courses`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...headers },
        body: JSON.stringify(course),
      })
    expect((await post({})).status).toBe(401)
    const minted = await aplus('token', '--role', 'instructor', '--sub', 'dev-test')
    expect(minted.code).toBe(0)
    const created = await post({ authorization: `Bearer ${minted.stdout.trim()}` })
    expect(created.status).toBe(201)
    expect(await created.json()).toMatchObject(course)
    expect(dev.stderr()).toContain('need a bearer token: tokens from `aplus token')
    expect(await dev.interrupt()).toBe(0)
  })

  it.each([
    [
      ['--topology', 'microservices'],
      "option --topology must be one of monolith, services, per-route, got 'microservices'",
    ],
    [
      ['--capacity', 'provisioned:-5/25'],
      'option --capacity: provisioned units must be READ/WRITE whole numbers',
    ],
    [
      ['--capacity', 'free-tier'],
      "option --capacity: capacity mode must be 'provisioned' or 'on-demand'",
    ],
    [['--port', '70000'], "option --port must be a whole number from 0 to 65535, got '70000'"],
    [['--port', 'eighty'], "option --port must be a whole number from 0 to 65535, got 'eighty'"],
    [
      ['--store-profile', 'fast'],
      "option --store-profile must be one of sdk-defaults, seed-era, resilient, adaptive, got 'fast'",
    ],
    [['--verbose'], "Unknown option '--verbose'"],
  ])('refuses %j with exit code 2 and a message naming the option', async (args, message) => {
    const result = await aplus('dev', ...args)
    expect(result.code).toBe(2)
    expect(result.stderr).toContain(message)
    expect(result.stdout).toBe('')
  })

  it('refuses a port that is in use, naming it', async () => {
    const blocker = createServer()
    await new Promise<void>((resolve) => blocker.listen(0, '127.0.0.1', resolve))
    const { port } = blocker.address() as { port: number }
    try {
      const result = await aplus('dev', '--port', String(port))
      expect(result.code).toBe(2)
      expect(result.stderr).toContain(`port ${port} on 127.0.0.1 is already in use`)
    } finally {
      blocker.close()
    }
  })

  it('documents every option in --help', async () => {
    const result = await aplus('dev', '--help')
    expect(result.code).toBe(0)
    for (const option of [
      '--topology',
      '--capacity',
      '--store-profile',
      '--port',
      '--dynamodb-port',
      '--data',
      '--log',
    ]) {
      expect(result.stdout).toContain(option)
    }
  })
})
