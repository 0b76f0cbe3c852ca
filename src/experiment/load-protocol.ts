import type { LoadTestResult, Scenario, TickEvent } from '../loadtest/index.js'

/** What the load worker is given. */
export interface LoadWorkerInput {
  baseUrl: string
  scenario: Scenario
  retries: number
  verify: boolean
  /** Headers of set-up, read-back and every request (an instructor's token). */
  headers: Record<string, string>
  /** Headers of each virtual user, taken in turn (each user's own token). */
  userHeaders: Record<string, string>[]
  /** One Int32 the worker waits on at the hand-over points; the parent sets it to 1 to go on. */
  handshake: SharedArrayBuffer
}

/**
 * Messages from the load worker. `ready` and `verifying` are hand-over points: the worker blocks
 * until the parent has prepared the target (started or ended the measured run) and released it.
 */
export type LoadWorkerMessage =
  | { type: 'ready' }
  | { type: 'start'; epochMs: number; plannedDurationMs: number }
  | { type: 'tick'; tick: TickEvent }
  | { type: 'verifying' }
  | { type: 'done'; result: LoadTestResult }
  | { type: 'failed'; name: string; message: string }

/** How long the worker waits at a hand-over before it carries on regardless. */
export const HANDSHAKE_TIMEOUT_MS = 10_000
