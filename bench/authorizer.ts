/**
 * What the local gateway's JWT authorizer costs a request, against a baseline measured in the
 * same run: one gateway, one warm function with a trivial handler, two routes to it, `/public`
 * (no authorizer) and `/protected` (the route asks for the `instructor` scope). Both are driven
 * with the same valid instructor token in the Authorization header, so the requests differ only
 * in whether the authorizer runs (RS256 verification and the claims added to the event). Rounds
 * alternate public and protected; ratios are taken within a round, then the median.
 *
 * It also times `authorize()` alone, in this process, over many calls: verifying every time, and
 * with the token remembered (what the gateway does after a token's first request).
 *
 * Run: `npm run -s bench:authorizer > result.json` (BENCH_SECONDS sets each measurement's
 * length, default 5; progress and the table go to stderr).
 */
import { execFile } from 'node:child_process'
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { promisify } from 'node:util'
import type { RouteDefinition } from '../src/api/routes.js'
import { createJwtAuthorizer } from '../src/auth/jwt-authorizer.js'
import { openLocalIssuer } from '../src/auth/local-issuer.js'
import { startGateway } from '../src/local/gateway/server.js'
import { LambdaService } from '../src/local/lambda/service.js'
import type { DriverResult } from './load-driver.js'
import { median, printTable } from './support.js'

const run = promisify(execFile)
const MEASURE_MS = Number(process.env.BENCH_SECONDS ?? 5) * 1000
const WARM_UP_MS = Number(process.env.BENCH_WARM_UP_SECONDS ?? 3) * 1000
const ROUNDS = 3
const CONNECTIONS = { moderate: 8, single: 1 } as const
const AUTHORIZE_CALLS = 3_000

const TRIVIAL = `export const handler = async () => ({
  statusCode: 200,
  headers: { 'content-type': 'application/json' },
  body: '{"ok":true}',
})
`

const ROUTES: RouteDefinition[] = [
  { id: 'public', method: 'GET', path: '/public', service: 'health', access: 'none' },
  {
    id: 'protected',
    method: 'GET',
    path: '/protected',
    service: 'health',
    access: 'none',
    scopes: ['instructor'],
  },
]

async function drive(url: string, connections: number, durationMs: number, token: string) {
  const driver = fileURLToPath(new URL('./load-driver.ts', import.meta.url))
  const { stdout } = await run(
    process.execPath,
    [...process.execArgv, driver, url, String(connections), String(durationMs)],
    { env: { ...process.env, BENCH_AUTHORIZATION: `Bearer ${token}` } },
  )
  const result = JSON.parse(stdout) as DriverResult
  if (result.errors > 0 || result.non200 > 0) {
    throw new Error(`${url}: ${result.errors} errors and ${result.non200} non-200 answers`)
  }
  return result
}

async function measure(label: string, url: string, token: string) {
  const moderate = await drive(url, CONNECTIONS.moderate, MEASURE_MS, token)
  const single = await drive(url, CONNECTIONS.single, MEASURE_MS, token)
  process.stderr.write(
    `  ${label}: ${moderate.requestsPerSecond.toFixed(0)} req/s at 8 connections, p50 ${single.latencyMs.p50.toFixed(3)} ms at 1\n`,
  )
  return { moderate, single }
}

type Measured = Awaited<ReturnType<typeof measure>>

/** Microseconds per `authorize()` of a valid token, in this process. */
async function timeAuthorize(authorize: ReturnType<typeof createJwtAuthorizer>, token: string) {
  const header = `Bearer ${token}`
  for (let call = 0; call < 200; call += 1) await authorize(header, ['instructor'])
  const startedMs = performance.now()
  for (let call = 0; call < AUTHORIZE_CALLS; call += 1) {
    const decision = await authorize(header, ['instructor'])
    if (!decision.allowed) throw new Error('the bench token was refused')
  }
  return ((performance.now() - startedMs) * 1000) / AUTHORIZE_CALLS
}

async function main() {
  const workDir = await mkdtemp(join(tmpdir(), 'aplus-bench-authorizer-'))
  const issuer = await openLocalIssuer(join(workDir, 'key.json'))
  const token = await issuer.mint({ role: 'instructor', subject: 'bench', lifetimeSeconds: 3600 })
  const authorize = createJwtAuthorizer({
    issuer: issuer.issuer,
    audiences: [issuer.audience],
    jwks: issuer.jwks,
  })
  const bundleFile = join(workDir, 'fn', 'index.mjs')
  await mkdir(join(workDir, 'fn'), { recursive: true })
  await writeFile(bundleFile, TRIVIAL)
  const lambda = await LambdaService.start({
    functions: [{ name: 'bench', bundleFile, memoryMb: 128, timeoutSeconds: 3, environment: {} }],
    coldStartDelayMs: 0,
    // AWS's invoke and gateway rate limits would throttle a loopback run; not what is measured.
    account: { accountConcurrency: 100_000 },
  })
  const gateway = await startGateway({
    routes: ROUTES,
    functionOf: () => 'bench',
    lambda,
    authorizer: { authorize },
    throttle: { ratePerSecond: 1_000_000, burst: 1_000_000 },
  })
  try {
    const uncached = createJwtAuthorizer(
      { issuer: issuer.issuer, audiences: [issuer.audience], jwks: issuer.jwks },
      { cachedTokens: 0 },
    )
    const verifyMicros = await timeAuthorize(uncached, token)
    const cachedMicros = await timeAuthorize(authorize, token)
    process.stderr.write(
      `authorize(): ${verifyMicros.toFixed(1)} µs per call verifying, ${cachedMicros.toFixed(1)} µs with the token remembered\n`,
    )
    await drive(`${gateway.url}/public`, CONNECTIONS.moderate, WARM_UP_MS, token)
    await drive(`${gateway.url}/protected`, CONNECTIONS.moderate, WARM_UP_MS, token)
    const runs: { public: Measured; protected: Measured }[] = []
    for (let round = 1; round <= ROUNDS; round += 1) {
      process.stderr.write(`round ${round} of ${ROUNDS}\n`)
      runs.push({
        public: await measure('public', `${gateway.url}/public`, token),
        protected: await measure('protected', `${gateway.url}/protected`, token),
      })
    }
    const level = (target: 'public' | 'protected') => ({
      requestsPerSecondAt8: median(runs.map((round) => round[target].moderate.requestsPerSecond)),
      p50MsAt1: median(runs.map((round) => round[target].single.latencyMs.p50)),
      p99MsAt1: median(runs.map((round) => round[target].single.latencyMs.p99)),
    })
    const results = {
      measureSeconds: MEASURE_MS / 1000,
      rounds: ROUNDS,
      authorizeMicrosecondsPerCall: { verifying: verifyMicros, remembered: cachedMicros },
      public: level('public'),
      protected: level('protected'),
      throughputRatioAt8: median(
        runs.map(
          (round) =>
            round.protected.moderate.requestsPerSecond / round.public.moderate.requestsPerSecond,
        ),
      ),
      addedP50MsAt1: median(
        runs.map(
          (round) => round.protected.single.latencyMs.p50 - round.public.single.latencyMs.p50,
        ),
      ),
      runs,
    }
    printTable(
      (['public', 'protected'] as const).map((target) => ({
        route: target,
        'req/s @8': results[target].requestsPerSecondAt8.toFixed(0),
        'p50 ms @1': results[target].p50MsAt1.toFixed(3),
        'p99 ms @1': results[target].p99MsAt1.toFixed(3),
      })),
    )
    process.stderr.write(
      `protected/public throughput ${results.throughputRatioAt8.toFixed(2)} at 8 connections; added p50 ${results.addedP50MsAt1.toFixed(3)} ms at 1\n`,
    )
    process.stdout.write(`${JSON.stringify(results, null, 2)}\n`)
  } finally {
    await gateway.close()
    await lambda.close()
    await rm(workDir, { recursive: true, force: true })
  }
}

await main()
