import { spawnSync } from 'node:child_process'
import { existsSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'

/** One measured run of one generator. */
export interface GeneratorRun {
  requests: number
  seconds: number
  /** User + system CPU seconds of the generator process and its children. */
  cpuSeconds: number
}

export interface Generator {
  name: string
  /** Why it cannot run here, or undefined when it can. */
  missing(): string | undefined
  saturate(url: string, connections: number, seconds: number): GeneratorRun
  fixedRate(url: string, connections: number, seconds: number, ratePerSecond: number): GeneratorRun
}

const root = new URL('..', import.meta.url).pathname
const scratch = tmpdir()

/**
 * Runs a command under bash and reads bash's `times` for its children: the CPU the generator
 * spent, measured by the kernel, whatever language it is written in.
 */
function timed(command: string): { stdout: string; cpuSeconds: number } {
  const result = spawnSync('bash', ['-c', `${command}\ntimes >&2`], {
    encoding: 'utf8',
    maxBuffer: 64 * 1024 * 1024,
  })
  if (result.status !== 0)
    throw new Error(`'${command}' failed (${result.status}): ${result.stderr.slice(-500)}`)
  const lines = result.stderr.trim().split('\n')
  const children = lines.at(-1) ?? ''
  const seconds = [...children.matchAll(/(\d+)m([\d.]+)s/g)].map(
    (match) => Number(match[1]) * 60 + Number(match[2]),
  )
  return { stdout: result.stdout, cpuSeconds: seconds.reduce((sum, value) => sum + value, 0) }
}

function aplusArgs(url: string, seconds: number, connections: number): string {
  return `node ${root}bin/aplus.js loadtest --target ${url} --scenario ${root}bench/health-only.json --connections ${connections} --duration ${seconds} --json --quiet`
}

function aplusRun(command: string): GeneratorRun {
  const { stdout, cpuSeconds } = timed(command)
  const result = JSON.parse(stdout)
  return {
    requests: result.overall.requests,
    seconds: (result.load.sendWindowMs + result.load.drainMs) / 1000,
    cpuSeconds,
  }
}

export const aplus: Generator = {
  name: 'aplus',
  missing: () =>
    existsSync(`${root}dist/cli/main.js`) ? undefined : 'dist/ is missing: run npm run build',
  saturate: (url, connections, seconds) =>
    aplusRun(`${aplusArgs(url, seconds, connections)} --users ${connections}`),
  fixedRate: (url, connections, seconds, rate) =>
    aplusRun(`${aplusArgs(url, seconds, connections)} --rate ${rate}`),
}

function autocannonRun(command: string): GeneratorRun {
  const { stdout, cpuSeconds } = timed(command)
  const result = JSON.parse(stdout)
  return { requests: result.requests.total, seconds: result.duration, cpuSeconds }
}

const autocannonBin = `${root}node_modules/autocannon/autocannon.js`

export const autocannon: Generator = {
  name: 'autocannon',
  missing: () =>
    existsSync(autocannonBin) ? undefined : 'autocannon is not installed: run npm ci',
  saturate: (url, connections, seconds) =>
    autocannonRun(
      `node ${autocannonBin} -j -c ${connections} -d ${seconds} ${url}/health 2>/dev/null`,
    ),
  fixedRate: (url, connections, seconds, rate) =>
    autocannonRun(
      `node ${autocannonBin} -j -c ${connections} -d ${seconds} --overallRate ${rate} ${url}/health 2>/dev/null`,
    ),
}

function wrkRun(command: string): GeneratorRun {
  const { stdout, cpuSeconds } = timed(command)
  const match = /(\d+) requests in ([\d.]+)(m?s)/.exec(stdout)
  if (!match) throw new Error(`cannot read wrk's output: ${stdout}`)
  const seconds = Number(match[2]) / (match[3] === 'ms' ? 1000 : 1)
  return { requests: Number(match[1]), seconds, cpuSeconds }
}

/** wrk has no rate option; a Lua delay per request paces each connection to its share. */
function wrkPacingScript(connections: number, ratePerSecond: number): string {
  const file = join(scratch, `aplus-bench-wrk-${connections}-${ratePerSecond}.lua`)
  const delayMs = (connections / ratePerSecond) * 1000
  writeFileSync(file, `function delay()\n  return ${delayMs.toFixed(3)}\nend\n`)
  return file
}

export const wrk: Generator = {
  name: 'wrk',
  missing: () =>
    spawnSync('bash', ['-c', 'command -v wrk']).status === 0
      ? undefined
      : 'wrk is not installed (Debian: apt-get install -y wrk)',
  // One thread, like the single-threaded Node generators: a second one would take the server's core.
  saturate: (url, connections, seconds) =>
    wrkRun(`wrk -t1 -c${connections} -d${seconds}s ${url}/health`),
  fixedRate: (url, connections, seconds, rate) =>
    wrkRun(
      `wrk -t1 -c${connections} -d${seconds}s -s ${wrkPacingScript(connections, rate)} ${url}/health`,
    ),
}
