import { PassThrough } from 'node:stream'
import { afterEach, describe, expect, it } from 'vitest'
import { LoadTest } from '../../src/loadtest/index.js'
import { attachProgress } from '../../src/loadtest/report/progress.js'
import { scenarioOf } from './helpers.js'
import { startDelayServer, type TestServer } from './servers.js'

let server: TestServer | undefined
afterEach(async () => {
  await server?.close()
  server = undefined
})

async function progressOf(live: boolean): Promise<string> {
  server = await startDelayServer({ delayMs: () => 1 })
  const test = new LoadTest({
    baseUrl: server.url,
    scenario: scenarioOf({
      load: {
        model: 'open',
        phases: [{ type: 'constant', ratePerSecond: 20, durationSeconds: 2 }],
      },
    }),
  })
  const stream = new PassThrough()
  let text = ''
  stream.on('data', (chunk) => {
    text += chunk
  })
  attachProgress(test, {
    stream: stream as unknown as NodeJS.WriteStream,
    live,
    plainEverySeconds: 1,
  })
  await test.run()
  return text
}

describe('the progress printer', () => {
  it('rewrites one line in place on a terminal', async () => {
    const text = await progressOf(true)
    const clearLine = '\r\u001b[2K'
    expect(text).toContain(`${clearLine}[1/2s] sent `)
    expect(text).toMatch(/\[(2\/2s|draining)\] sent \d+/)
    expect(text.split(clearLine).length).toBeGreaterThanOrEqual(3)
  })

  it('prints whole lines at the chosen interval otherwise', async () => {
    const text = await progressOf(false)
    expect(text).not.toContain('\r')
    expect(text).toMatch(
      /^\[1\/2s\] sent \d+ {2}done \d+ {2}failed \d+\.\d+% {2}in flight \d+ {2}rate \d+\/20\/s/m,
    )
  })
})
