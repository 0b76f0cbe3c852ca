import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach } from 'vitest'
import type { LambdaEvent } from '../../src/local/lambda/events.js'
import {
  type LambdaFunctionConfig,
  LambdaService,
  type LambdaServiceOptions,
} from '../../src/local/lambda/service.js'

/** A purpose-made test function: its handler module's source and its Lambda settings. */
export interface TestFunction
  extends Omit<LambdaFunctionConfig, 'bundleFile' | 'memoryMb' | 'timeoutSeconds'> {
  /** ESM source of index.mjs; undefined writes no file at all (a missing bundle). */
  source: string | undefined
  memoryMb?: number
  timeoutSeconds?: number
}

export interface TestService {
  service: LambdaService
  /** Every event the service emitted, in order. */
  events: LambdaEvent[]
  close(): Promise<void>
}

/**
 * Writes each test function's handler into a temp dir as `<name>/index.mjs` and starts a Lambda
 * service over them, recording its events. No modelled cold-start delay unless asked for.
 */
export async function startTestService(
  functions: readonly TestFunction[],
  options: Omit<LambdaServiceOptions, 'functions'> = {},
): Promise<TestService> {
  const dir = await mkdtemp(join(tmpdir(), 'aplus-lambda-test-'))
  const configs: LambdaFunctionConfig[] = []
  for (const { source, ...fn } of functions) {
    const directory = join(dir, fn.name)
    await mkdir(directory, { recursive: true })
    const bundleFile = join(directory, 'index.mjs')
    if (source !== undefined) await writeFile(bundleFile, source)
    configs.push({ memoryMb: 128, timeoutSeconds: 3, ...fn, bundleFile })
  }
  const events: LambdaEvent[] = []
  const service = await LambdaService.start({
    coldStartDelayMs: 0,
    ...options,
    functions: configs,
    onEvent: (event) => events.push(event),
  })
  return {
    service,
    events,
    async close() {
      await service.close()
      await rm(dir, { recursive: true, force: true })
    },
  }
}

/**
 * `startTestService` for a test file whose tests each start their own service: whatever a test
 * started is closed after it, passed or failed.
 */
export function serviceClosedAfterEachTest(): typeof startTestService {
  let running: TestService | undefined
  afterEach(async () => {
    await running?.close()
    running = undefined
  })
  return async (...args) => {
    running = await startTestService(...args)
    return running
  }
}

/** The payload of a successful invoke, parsed; fails the test with the result otherwise. */
// biome-ignore lint/suspicious/noExplicitAny: test payloads are checked by assertions, not types
export function payloadOf(result: Awaited<ReturnType<LambdaService['invoke']>>): any {
  if (result.status !== 'success')
    throw new Error(`expected success, got ${JSON.stringify(result)}`)
  return JSON.parse(result.payload)
}

/** Events of one type, typed. */
export function eventsOf<T extends LambdaEvent['type']>(
  events: readonly LambdaEvent[],
  type: T,
): Extract<LambdaEvent, { type: T }>[] {
  return events.filter((event): event is Extract<LambdaEvent, { type: T }> => event.type === type)
}

/** A handler module that counts its invocations in module state and can sleep, throw or spin. */
export const STATEFUL_HANDLER = `
import { randomUUID } from 'node:crypto'
const environmentId = randomUUID()
let invocations = 0
export const handler = async (event, context) => {
  invocations += 1
  const seenMark = process.env.TEST_MARK
  process.env.TEST_MARK = environmentId
  if (event.sleepMs) await new Promise((resolve) => setTimeout(resolve, event.sleepMs))
  if (event.spin) while (true) {}
  return { environmentId, invocations, seenMark: seenMark ?? null, requestId: context.awsRequestId }
}
`

/** Polls a condition (every 10 ms, up to 5 s): for effects that happen on their own schedule. */
export async function until(condition: () => boolean): Promise<void> {
  const deadlineMs = Date.now() + 5000
  while (!condition()) {
    if (Date.now() > deadlineMs) throw new Error('condition not met within 5 s')
    await new Promise((resolve) => setTimeout(resolve, 10))
  }
}
