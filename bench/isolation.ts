/**
 * What each way of isolating a Lambda execution environment costs on this machine, measured with
 * the A+ monolith bundle (its module scope creates a DynamoDB client, as every function does):
 *
 * - fresh module instance: the bundle imported again under a new URL, in this process;
 * - worker thread: one `worker_threads` Worker per environment, bundle imported inside;
 * - child process: one forked Node process per environment, talking over IPC.
 *
 * For each: time from "start an environment" to "handler ready", resident memory added per
 * environment (RSS of the whole machine's share: this process plus its children), and the
 * round-trip cost of one invocation of GET /health (no DynamoDB call) on a warm environment.
 *
 * Run: `npm run bench:isolation` (builds the monolith bundle into a temp dir first).
 */
import { type ChildProcess, fork } from 'node:child_process'
import { mkdtemp, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { pathToFileURL } from 'node:url'
import { Worker } from 'node:worker_threads'
import { buildHttpApiEvent } from '../src/local/gateway/http-api-event.js'
import { buildTopology } from '../src/topology/bundle.js'
import { childRss, median, printTable } from './support.js'

const ENVIRONMENTS = 8
const INVOKES = 2000

type Handler = (event: unknown) => Promise<unknown>

interface Mechanism {
  name: string
  /** Starts one environment; resolves when its handler is loaded. */
  start(): Promise<{ invoke(eventJson: string): Promise<string>; stop(): Promise<void> }>
}

const RUNNER = `
const load = async (file) => (await import(file)).handler
let handler
const reply = (send) => async (message) => {
  if (message.type === 'load') {
    handler = await load(message.file)
    send({ type: 'ready' })
  } else {
    const result = await handler(JSON.parse(message.event), {})
    send({ type: 'result', payload: JSON.stringify(result) })
  }
}
if (process.send) process.on('message', reply((m) => process.send(m)))
else {
  const { parentPort } = await import('node:worker_threads')
  parentPort.on('message', reply((m) => parentPort.postMessage(m)))
}
`

function messenger(
  send: (message: unknown) => void,
  on: (listener: (message: { type: string; payload?: string }) => void) => void,
) {
  let pending: ((payload: string) => void) | undefined
  let ready: (() => void) | undefined
  on((message) => {
    if (message.type === 'ready') ready?.()
    else pending?.(message.payload ?? '')
  })
  return {
    load: (file: string) =>
      new Promise<void>((resolve) => {
        ready = resolve
        send({ type: 'load', file })
      }),
    invoke: (event: string) =>
      new Promise<string>((resolve) => {
        pending = resolve
        send({ type: 'invoke', event })
      }),
  }
}

function mechanisms(bundleUrl: string, runnerFile: string): Mechanism[] {
  let instance = 0
  return [
    {
      name: 'fresh module instance',
      async start() {
        instance += 1
        const module = (await import(`${bundleUrl}?instance=${instance}`)) as { handler: Handler }
        return {
          invoke: async (event) => JSON.stringify(await module.handler(JSON.parse(event))),
          // A module instance cannot be unloaded: its memory stays until the process ends.
          stop: async () => {},
        }
      },
    },
    {
      name: 'worker thread',
      async start() {
        const worker = new Worker(runnerFile, { env: { ...process.env } })
        const channel = messenger(
          (message) => worker.postMessage(message),
          (listener) => worker.on('message', listener),
        )
        await channel.load(bundleUrl)
        return { invoke: channel.invoke, stop: async () => void (await worker.terminate()) }
      },
    },
    {
      name: 'child process',
      async start() {
        const child: ChildProcess = fork(runnerFile, { serialization: 'advanced', execArgv: [] })
        const channel = messenger(
          (message) => child.send(message as never),
          (listener) => child.on('message', listener as never),
        )
        await channel.load(bundleUrl)
        return {
          invoke: channel.invoke,
          stop: () =>
            new Promise((resolve) => {
              child.once('exit', () => resolve())
              child.kill()
            }),
        }
      },
    },
  ]
}

async function measure(mechanism: Mechanism, eventJson: string) {
  global.gc?.()
  const rssBeforeBytes = process.memoryUsage.rss() + (await childRss(process.pid))
  const readyMs: number[] = []
  const environments = []
  for (let index = 0; index < ENVIRONMENTS; index += 1) {
    const startedMs = performance.now()
    environments.push(await mechanism.start())
    readyMs.push(performance.now() - startedMs)
  }
  global.gc?.()
  const rssAfterBytes = process.memoryUsage.rss() + (await childRss(process.pid))
  const [first] = environments
  if (!first) throw new Error('no environment started')
  for (let index = 0; index < 200; index += 1) await first.invoke(eventJson)
  const startedMs = performance.now()
  for (let index = 0; index < INVOKES; index += 1) await first.invoke(eventJson)
  const invokeUs = ((performance.now() - startedMs) / INVOKES) * 1000
  await Promise.all(environments.map((environment) => environment.stop()))
  return {
    mechanism: mechanism.name,
    'first ready ms': (readyMs[0] ?? 0).toFixed(1),
    'median ready ms': median(readyMs).toFixed(1),
    'RSS per env MB': ((rssAfterBytes - rssBeforeBytes) / ENVIRONMENTS / 2 ** 20).toFixed(1),
    'invoke round trip us': invokeUs.toFixed(1),
  }
}

async function main() {
  // The bundle's module scope reads its table and endpoint from the environment, as on Lambda.
  Object.assign(process.env, {
    TABLE_NAME: 'aplus-bench',
    AWS_REGION: 'us-east-1',
    AWS_ENDPOINT_URL_DYNAMODB: 'http://127.0.0.1:9',
    AWS_ACCESS_KEY_ID: 'local',
    AWS_SECRET_ACCESS_KEY: 'local',
  })
  const workDir = await mkdtemp(join(tmpdir(), 'aplus-isolation-'))
  try {
    process.stderr.write('building the monolith bundle…\n')
    const [bundle] = await buildTopology('monolith', workDir)
    if (!bundle) throw new Error('the monolith topology has no function')
    const runnerFile = join(workDir, 'runner.mjs')
    await writeFile(runnerFile, RUNNER)
    const event = buildHttpApiEvent(
      {
        method: 'GET',
        url: '/health',
        rawHeaders: [],
        body: Buffer.alloc(0),
        sourceIp: '127.0.0.1',
      },
      { routeKey: 'GET /health', pathParameters: {} },
    )
    const eventJson = JSON.stringify(event)
    const rows = []
    // Module instances last: they cannot be unloaded and would inflate the others' RSS.
    const all = mechanisms(pathToFileURL(bundle.file).href, runnerFile)
    for (const mechanism of [all[1], all[2], all[0]]) {
      if (!mechanism) continue
      process.stderr.write(`measuring ${mechanism.name}…\n`)
      rows.push(await measure(mechanism, eventJson))
    }
    printTable(rows)
    process.stdout.write(`${JSON.stringify({ environments: ENVIRONMENTS, rows }, null, 2)}\n`)
  } finally {
    await rm(workDir, { recursive: true, force: true })
  }
}

await main()
