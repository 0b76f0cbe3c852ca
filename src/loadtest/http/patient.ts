import type { AttemptOutcome, HttpTarget, OutgoingRequest } from './target.js'

/** One attempt, as a promise. */
export function sendOnce(
  target: HttpTarget,
  request: OutgoingRequest,
  wantBody: boolean,
): Promise<AttemptOutcome> {
  return new Promise((resolve) => target.send(request, wantBody, resolve))
}

export interface PatienceOptions {
  attempts: number
  /** No new attempt starts after this performance.now(). */
  deadlineAt: number
  maxDelayMs: number
}

function worthRetrying(outcome: AttemptOutcome): boolean {
  return outcome.failure !== undefined || outcome.statusCode === 429 || outcome.statusCode >= 500
}

const FIRST_BACKOFF_MS = 200

/**
 * Sends a request until it gets an answer that is not a throttle, a 5xx or a network failure,
 * honouring Retry-After. For the set-up and verification steps, which are not measured and
 * must get through a throttled target; the measured load never uses this.
 */
export async function sendPatiently(
  target: HttpTarget,
  request: OutgoingRequest,
  wantBody: boolean,
  options: PatienceOptions,
): Promise<AttemptOutcome> {
  let outcome = await sendOnce(target, request, wantBody)
  for (let attempt = 2; attempt <= options.attempts && worthRetrying(outcome); attempt += 1) {
    const backoffMs = FIRST_BACKOFF_MS * 2 ** (attempt - 2)
    const askedMs = outcome.retryAfterSeconds !== undefined ? outcome.retryAfterSeconds * 1000 : 0
    const delayMs = Math.min(Math.max(askedMs, backoffMs), options.maxDelayMs)
    if (performance.now() + delayMs > options.deadlineAt) break
    await new Promise((resolve) => setTimeout(resolve, delayMs))
    outcome = await sendOnce(target, request, wantBody)
  }
  return outcome
}

/** Runs `work` over `items` with at most `concurrency` at once. */
export async function forEachLimited<T>(
  items: readonly T[],
  concurrency: number,
  work: (item: T, index: number) => Promise<void>,
): Promise<void> {
  let nextIndex = 0
  const worker = async () => {
    while (nextIndex < items.length) {
      const index = nextIndex
      nextIndex += 1
      await work(items[index] as T, index)
    }
  }
  await Promise.all(Array.from({ length: Math.min(concurrency, items.length) }, worker))
}
