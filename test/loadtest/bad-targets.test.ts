import { createServer } from 'node:http'
import type { AddressInfo } from 'node:net'
import { afterEach, describe, expect, it } from 'vitest'
import { type AttemptOutcome, HttpTarget } from '../../src/loadtest/http/target.js'
import { LoadTest, OptionsError, TargetUnreachableError } from '../../src/loadtest/index.js'
import { formatSummary } from '../../src/loadtest/report/summary.js'
import { startFakeAplus } from './fake-aplus.js'
import { errorsOf, scenarioOf } from './helpers.js'
import {
  startClosingServer,
  startStallServer,
  startThrottleServer,
  type TestServer,
} from './servers.js'

let server: TestServer | undefined
afterEach(async () => {
  await server?.close()
  server = undefined
})

async function freePort(): Promise<number> {
  const probe = createServer()
  await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve))
  const { port } = probe.address() as AddressInfo
  await new Promise((resolve) => probe.close(resolve))
  return port
}

describe('a target that misbehaves', () => {
  it('is refused before any load when nothing listens at the URL', async () => {
    const port = await freePort()
    const run = new LoadTest({
      baseUrl: `http://127.0.0.1:${port}`,
      scenario: scenarioOf({}),
    }).run()
    await expect(run).rejects.toThrow(TargetUnreachableError)
    await expect(run).rejects.toThrow(/ECONNREFUSED/)
  })

  it('fails each request waiting for a connection that is refused, without crashing', async () => {
    // One connection and five requests: four wait for it while its connect is refused.
    const port = await freePort()
    const target = new HttpTarget(`http://127.0.0.1:${port}`, {
      connections: 1,
      requestTimeoutMs: 5000,
    })
    const outcomes = await Promise.all(
      Array.from(
        { length: 5 },
        () =>
          new Promise<AttemptOutcome>((resolve) =>
            target.send({ method: 'GET', path: '/health', headers: {} }, false, resolve),
          ),
      ),
    )
    expect(outcomes.map((outcome) => outcome.failure)).toEqual(Array(5).fill('connection'))
    expect(outcomes.every((outcome) => /ECONNREFUSED/.test(String(outcome.error)))).toBe(true)
    expect(target.inFlight).toBe(0)
    await target.destroy()
  })

  it('is refused when its health check answers 404 (a wrong base path)', async () => {
    const fake = await startFakeAplus()
    try {
      const run = new LoadTest({
        baseUrl: `${fake.url}/wrong-stage`,
        scenario: scenarioOf({}),
      }).run()
      await expect(run).rejects.toThrow(/wrong-stage\/health answered 404: is the base URL right/)
      expect(fake.writes.acknowledged).toBe(0)
    } finally {
      await fake.close()
    }
  })

  it('rejects a URL that is not http(s) as an options error', async () => {
    const run = new LoadTest({ baseUrl: 'ftp://127.0.0.1/', scenario: scenarioOf({}) }).run()
    await expect(run).rejects.toThrow(OptionsError)
  })

  it('that stalls is measured as timeouts, and the run ends within duration + drain', async () => {
    server = await startStallServer()
    const scenario = scenarioOf({
      load: {
        model: 'open',
        phases: [{ type: 'constant', ratePerSecond: 40, durationSeconds: 1.5 }],
      },
      limits: { requestTimeoutMs: 2000, drainTimeoutMs: 500 },
    })
    const startedAt = performance.now()
    const result = await new LoadTest({ baseUrl: server.url, scenario }).run()
    const elapsedMs = performance.now() - startedAt

    expect(elapsedMs).toBeLessThan(1500 + 500 + 1500)
    expect(result.overall.requests).toBe(60)
    expect(errorsOf(result)).toEqual({ timeout: 60 })
    expect(result.load.outstandingAtEnd).toBe(60)
    expect(result.headline.failureRate).toBe(1)
    expect(result.warnings.join('\n')).toMatch(/60 requests were unanswered/)
  })

  it('that times out requests individually counts each as a timeout once', async () => {
    server = await startStallServer()
    const scenario = scenarioOf({
      load: {
        model: 'open',
        phases: [{ type: 'constant', ratePerSecond: 40, durationSeconds: 1 }],
      },
      limits: { requestTimeoutMs: 200, drainTimeoutMs: 1000 },
    })
    const result = await new LoadTest({ baseUrl: server.url, scenario }).run()
    expect(errorsOf(result)).toEqual({ timeout: 40 })
    expect(result.load.outstandingAtEnd).toBe(0)
    expect(result.overall.latencyMs.all.p50).toBeGreaterThanOrEqual(200)
  })

  it('that closes every connection is measured as connection errors', async () => {
    server = await startClosingServer()
    const scenario = scenarioOf({
      load: {
        model: 'open',
        phases: [{ type: 'constant', ratePerSecond: 50, durationSeconds: 1 }],
      },
    })
    const result = await new LoadTest({ baseUrl: server.url, scenario }).run()
    expect(errorsOf(result)).toEqual({ connection_error: 50 })
  })

  it('that throttles is classed as 503-throttled, and first attempts are what count by default', async () => {
    server = await startThrottleServer({ throttledAttempts: 1 })
    const scenario = scenarioOf({
      load: {
        model: 'open',
        phases: [{ type: 'constant', ratePerSecond: 50, durationSeconds: 1 }],
      },
      mix: [{ request: 'createStudent', weight: 1 }],
    })
    const result = await new LoadTest({ baseUrl: server.url, scenario }).run()
    expect(errorsOf(result)).toEqual({ http_503_throttled: 50 })
    expect(result.overall.retries.requestsRetried).toBe(0)
    expect(result.overall.errorLabels).toEqual({ 'message: Rate exceeded': 50 })
  })
})

describe('--retries', () => {
  it('retries 429 with the same Idempotency-Key and reports retries apart from first-attempt failures', async () => {
    server = await startThrottleServer({ throttledAttempts: 2, status: 429 })
    const scenario = scenarioOf({
      load: {
        model: 'open',
        phases: [{ type: 'constant', ratePerSecond: 20, durationSeconds: 1 }],
      },
      mix: [{ request: 'createStudent', weight: 1 }],
    })
    const result = await new LoadTest({ baseUrl: server.url, scenario, retries: 2 }).run()

    expect(result.overall.failed).toBe(0)
    expect(result.overall.firstAttemptFailures).toBe(20)
    expect(result.overall.firstAttemptErrorClasses.http_429).toBe(20)
    expect(result.overall.retries).toEqual({
      requestsRetried: 20,
      extraAttempts: 40,
      succeededAfterRetry: 20,
    })
    expect(formatSummary(result)).toContain(
      'first attempts failed: 20 (100.00%: http_429 20); retried 20 requests (40 extra attempts), 20 succeeded on retry',
    )
    const keys = server.requestHeaders.map((headers) => headers['idempotency-key'])
    expect(keys).toHaveLength(60)
    expect(new Set(keys).size).toBe(20)
  })

  it('gives up after N retries and counts the request as failed', async () => {
    server = await startThrottleServer({ throttledAttempts: 5 })
    const scenario = scenarioOf({
      load: {
        model: 'open',
        phases: [{ type: 'constant', ratePerSecond: 10, durationSeconds: 1 }],
      },
      mix: [{ request: 'createStudent', weight: 1 }],
    })
    const result = await new LoadTest({ baseUrl: server.url, scenario, retries: 1 }).run()
    expect(errorsOf(result)).toEqual({ http_503_throttled: 10 })
    expect(result.overall.retries.extraAttempts).toBe(10)
  })
})

describe('headers', () => {
  it('sends static headers everywhere and per-user headers from the hook', async () => {
    server = await startThrottleServer({ throttledAttempts: 0 })
    const scenario = scenarioOf({
      load: { model: 'closed', virtualUsers: 3, durationSeconds: 5 },
      limits: { maxRequests: 30 },
    })
    const result = await new LoadTest({
      baseUrl: server.url,
      scenario,
      headers: { Authorization: 'Bearer run-token', 'X-Run': 'test' },
      headersForUser: (index) => ({ authorization: `Bearer user-${index}` }),
    }).run()

    expect(result.overall.requests).toBe(30)
    const tokens = new Set(server.requestHeaders.map((headers) => headers.authorization))
    expect(tokens).toEqual(new Set(['Bearer user-0', 'Bearer user-1', 'Bearer user-2']))
    expect(server.requestHeaders.every((headers) => headers['x-run'] === 'test')).toBe(true)
  })

  it('rejects a header value with a line break', async () => {
    const run = new LoadTest({
      baseUrl: 'http://127.0.0.1:1',
      scenario: scenarioOf({}),
      headers: { 'X-Bad': 'a\r\nb' },
    }).run()
    await expect(run).rejects.toThrow(/one-line string value/)
  })
})
