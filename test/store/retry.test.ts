import { createServer } from 'node:net'
import { GetCommand } from '@aws-sdk/lib-dynamodb'
import { afterEach, describe, expect, it } from 'vitest'
import { createDocumentClient } from '../../src/store/client.js'
import { STORE_PROFILES } from '../../src/store/profile.js'
import { BackoffRetryStrategy, RetryRefusedError } from '../../src/store/retry.js'

function strategy(nowMs: () => number, random = () => 0.5) {
  return new BackoffRetryStrategy({
    maxAttempts: 4,
    budgetMs: 1000,
    throttlingBaseDelayMs: 100,
    transientBaseDelayMs: 50,
    capDelayMs: 250,
    random,
    nowMs,
  })
}

describe('the backoff retry strategy', () => {
  it('backs off with full jitter, capped, for throttling and transient errors', async () => {
    const retries = strategy(
      () => 0,
      () => 0.999,
    )
    let token = await retries.acquireInitialRetryToken()
    const delays: number[] = []
    for (let attempt = 0; attempt < 3; attempt += 1) {
      token = await retries.refreshRetryTokenForRetry(token, {
        errorType: attempt === 0 ? 'THROTTLING' : 'TRANSIENT',
      })
      delays.push(token.getRetryDelay())
    }
    // Throttling from 100 ms, then transient from 50 ms: 100, 100 (50 × 2), 200 (50 × 4), capped at 250.
    expect(delays).toEqual([99, 99, 199])
  })

  it('stops after its attempts, and for client or server errors at once', async () => {
    const retries = strategy(() => 0)
    let token = await retries.acquireInitialRetryToken()
    for (let attempt = 0; attempt < 3; attempt += 1) {
      token = await retries.refreshRetryTokenForRetry(token, { errorType: 'THROTTLING' })
    }
    await expect(
      retries.refreshRetryTokenForRetry(token, { errorType: 'THROTTLING' }),
    ).rejects.toThrow('all 4 attempts used')
    const fresh = await retries.acquireInitialRetryToken()
    await expect(
      retries.refreshRetryTokenForRetry(fresh, { errorType: 'CLIENT_ERROR' }),
    ).rejects.toThrow(RetryRefusedError)
  })

  it('starts no retry that would begin after the budget', async () => {
    let now = 0
    const retries = strategy(() => now)
    const token = await retries.acquireInitialRetryToken()
    now = 960
    // A 50 ms wait would start the retry at 1010 ms, past the 1000 ms budget.
    await expect(
      retries.refreshRetryTokenForRetry(token, { errorType: 'THROTTLING' }),
    ).rejects.toThrow('the 1000 ms budget is spent')
  })
})

describe('store client profiles against an endpoint that refuses connections', () => {
  // The client reads its endpoint, region and credentials from the environment, as on Lambda.
  const names = [
    'AWS_ENDPOINT_URL_DYNAMODB',
    'AWS_REGION',
    'AWS_ACCESS_KEY_ID',
    'AWS_SECRET_ACCESS_KEY',
  ]
  const saved = Object.fromEntries(names.map((name) => [name, process.env[name]]))
  afterEach(() => {
    for (const name of names) {
      if (saved[name] === undefined) delete process.env[name]
      else process.env[name] = saved[name]
    }
  })

  async function closedPort(): Promise<number> {
    const server = createServer()
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
    const { port } = server.address() as { port: number }
    await new Promise((resolve) => server.close(resolve))
    return port
  }

  async function attemptsUntilFailure(profile: keyof typeof STORE_PROFILES) {
    Object.assign(process.env, {
      AWS_ENDPOINT_URL_DYNAMODB: `http://127.0.0.1:${await closedPort()}`,
      AWS_REGION: 'us-east-1',
      AWS_ACCESS_KEY_ID: 'local',
      AWS_SECRET_ACCESS_KEY: 'local',
    })
    const db = createDocumentClient(STORE_PROFILES[profile])
    const startedMs = Date.now()
    const error = await db
      .send(new GetCommand({ TableName: 'aplus', Key: { pk: 'a', sk: 'b' } }))
      .catch((thrown: { $metadata?: { attempts?: number } }) => thrown)
    db.destroy()
    return {
      attempts: (error as { $metadata?: { attempts?: number } }).$metadata?.attempts,
      elapsedMs: Date.now() - startedMs,
    }
  }

  it("makes the installed SDK's four DynamoDB attempts with sdk-defaults", async () => {
    expect((await attemptsUntilFailure('sdk-defaults')).attempts).toBe(4)
  })

  it('makes the three attempts of the pre-2026 SDK with seed-era', async () => {
    expect((await attemptsUntilFailure('seed-era')).attempts).toBe(3)
  })

  it('makes up to eight attempts within the 1.2 s budget with the resilient profile', async () => {
    const { attempts, elapsedMs } = await attemptsUntilFailure('resilient')
    expect(attempts).toBeGreaterThan(3)
    expect(attempts).toBeLessThanOrEqual(8)
    // The budget bounds when the last retry starts; a refused connection fails at once.
    expect(elapsedMs).toBeLessThan(1200 + 400)
  })
})

describe('retrying transactions cancelled for capacity', () => {
  const cancelled = (...codes: string[]) =>
    Object.assign(new Error('Transaction cancelled'), {
      name: 'TransactionCanceledException',
      CancellationReasons: codes.map((Code) => ({ Code })),
    })

  it('treats a cancellation for capacity or conflict as a throttle, and one for a failed condition as final', async () => {
    const retries = new BackoffRetryStrategy({
      maxAttempts: 3,
      throttlingBaseDelayMs: 100,
      transientBaseDelayMs: 10,
      capDelayMs: 1000,
      retryThrottledTransactions: true,
      random: () => 0.5,
    })
    const token = await retries.acquireInitialRetryToken()
    const retried = await retries.refreshRetryTokenForRetry(token, {
      errorType: 'CLIENT_ERROR',
      error: cancelled('None', 'ProvisionedThroughputExceeded', 'TransactionConflict') as never,
    })
    expect(retried.getRetryDelay()).toBe(50)
    await expect(
      retries.refreshRetryTokenForRetry(token, {
        errorType: 'CLIENT_ERROR',
        error: cancelled('ConditionalCheckFailed', 'ProvisionedThroughputExceeded') as never,
      }),
    ).rejects.toThrow(RetryRefusedError)
  })

  it('leaves cancellations to the SDK without the option', async () => {
    const retries = new BackoffRetryStrategy({
      maxAttempts: 3,
      throttlingBaseDelayMs: 100,
      transientBaseDelayMs: 10,
      capDelayMs: 1000,
    })
    const token = await retries.acquireInitialRetryToken()
    await expect(
      retries.refreshRetryTokenForRetry(token, {
        errorType: 'CLIENT_ERROR',
        error: cancelled('ThrottlingError') as never,
      }),
    ).rejects.toThrow('CLIENT_ERROR errors are not retried')
  })
})
