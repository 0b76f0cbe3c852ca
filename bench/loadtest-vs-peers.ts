// Benchmark: APlusLoadTest against autocannon and wrk on one loopback server, in one run.
//   npm run bench:loadtest            (builds first; BENCH_SECONDS, BENCH_ROUNDS, BENCH_RATE tune it)
// Two measurements, because on two shared cores the server saturates before the generators do:
// 1. saturation: requests/s each generator gets out of the server (closed loop, 50 connections);
// 2. fixed rate: CPU time each generator spends per request at a rate all of them can hold,
//    measured as the difference between a short and a long run, so start-up cost cancels out.
// Each is repeated BENCH_ROUNDS times, generators interleaved; the median round is reported,
// since on a shared machine a single best or worst round says more about the neighbours.
import { type ChildProcess, spawn } from 'node:child_process'
import { once } from 'node:events'
import { aplus, autocannon, type Generator, type GeneratorRun, wrk } from './generators.js'

const seconds = Number(process.env.BENCH_SECONDS ?? 6)
const rounds = Number(process.env.BENCH_ROUNDS ?? 2)
const ratePerSecond = Number(process.env.BENCH_RATE ?? 2000)
const connections = 50

async function startServer(): Promise<{ url: string; child: ChildProcess }> {
  const child = spawn(
    process.execPath,
    ['--import', 'tsx', new URL('./trivial-server.ts', import.meta.url).pathname],
    {
      stdio: ['ignore', 'pipe', 'inherit'],
    },
  )
  const [chunk] = (await once(child.stdout as NodeJS.ReadableStream, 'data')) as [Buffer]
  return { url: chunk.toString().trim(), child }
}

const SHORT_RUN_SECONDS = 2

const rateOf = (run: GeneratorRun) => run.requests / run.seconds
const cpuMicrosecondsPerRequest = (run: GeneratorRun) => (run.cpuSeconds / run.requests) * 1e6

/** CPU per request beyond start-up: the extra CPU of a long run over a short one, per extra request. */
function marginalRun(generator: Generator, url: string): GeneratorRun {
  const short = generator.fixedRate(url, connections, SHORT_RUN_SECONDS, ratePerSecond)
  const long = generator.fixedRate(url, connections, SHORT_RUN_SECONDS + seconds, ratePerSecond)
  return {
    requests: long.requests - short.requests,
    seconds: long.seconds - short.seconds,
    cpuSeconds: long.cpuSeconds - short.cpuSeconds,
  }
}

/** The median run by a score (the upper middle one for an even count). */
function median(runs: GeneratorRun[], score: (run: GeneratorRun) => number): GeneratorRun {
  const sorted = [...runs].sort((a, b) => score(a) - score(b))
  return sorted[Math.floor(sorted.length / 2)] as GeneratorRun
}

const spread = (runs: GeneratorRun[], score: (run: GeneratorRun) => number) => {
  const values = runs.map(score)
  return `${Math.min(...values).toFixed(0)}–${Math.max(...values).toFixed(0)}`
}

const log = (text: string) => process.stderr.write(`${text}\n`)

async function main(): Promise<void> {
  const generators: Generator[] = []
  for (const generator of [aplus, autocannon, wrk]) {
    const missing = generator.missing()
    if (missing) log(`SKIPPED ${generator.name}: ${missing}`)
    else generators.push(generator)
  }
  const { url, child } = await startServer()
  log(`server ${url}; ${rounds} rounds of ${seconds} s per generator and measurement`)

  const saturation = new Map<string, GeneratorRun[]>()
  const fixed = new Map<string, GeneratorRun[]>()
  try {
    for (let round = 1; round <= rounds; round += 1) {
      for (const generator of generators) {
        const run = generator.saturate(url, connections, seconds)
        saturation.set(generator.name, [...(saturation.get(generator.name) ?? []), run])
        log(`round ${round} saturation ${generator.name}: ${rateOf(run).toFixed(0)} req/s`)
        const paced = marginalRun(generator, url)
        fixed.set(generator.name, [...(fixed.get(generator.name) ?? []), paced])
        log(
          `round ${round} at ${ratePerSecond}/s ${generator.name}: ${rateOf(paced).toFixed(0)} req/s, ${cpuMicrosecondsPerRequest(paced).toFixed(1)} µs CPU/request`,
        )
      }
    }
  } finally {
    child.kill('SIGTERM')
  }

  const baseline = 'autocannon'
  const baseSaturation = saturation.get(baseline)
  const baseFixed = fixed.get(baseline)
  const rows = generators.map((generator) => {
    const saturated = saturation.get(generator.name) ?? []
    const paced = fixed.get(generator.name) ?? []
    const top = median(saturated, rateOf)
    const lean = median(paced, cpuMicrosecondsPerRequest)
    const saturationRatio = baseSaturation
      ? rateOf(top) / rateOf(median(baseSaturation, rateOf))
      : Number.NaN
    const cpuRatio = baseFixed
      ? cpuMicrosecondsPerRequest(lean) /
        cpuMicrosecondsPerRequest(median(baseFixed, cpuMicrosecondsPerRequest))
      : Number.NaN
    return `| ${generator.name} | ${rateOf(top).toFixed(0)} (${spread(saturated, rateOf)}) | ${saturationRatio.toFixed(2)} | ${rateOf(lean).toFixed(0)} | ${cpuMicrosecondsPerRequest(lean).toFixed(1)} (${spread(paced, cpuMicrosecondsPerRequest)}) | ${cpuRatio.toFixed(2)} |`
  })
  process.stdout.write(
    [
      `Generators on one loopback Node server, ${connections} connections, median (range) of ${rounds} rounds × ${seconds} s`,
      '',
      `| generator | saturation req/s | × ${baseline} | req/s at ${ratePerSecond}/s | CPU µs/request at ${ratePerSecond}/s | × ${baseline} |`,
      '|---|---|---|---|---|---|',
      ...rows,
      '',
      `CPU per request: (CPU of a ${SHORT_RUN_SECONDS + seconds} s run − CPU of a ${SHORT_RUN_SECONDS} s run) / extra requests, from bash's times.`,
      'Pacing differs: aplus spreads requests evenly, so each response is handled on its own;',
      "autocannon --overallRate sends each connection's per-second budget in a burst, then idles;",
      'wrk is paced by a Lua delay per connection. Bursts are cheaper per request but not a steady rate.',
      '',
    ].join('\n'),
  )
}

await main()
