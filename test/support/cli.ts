import { execFile, spawn } from 'node:child_process'
import { once } from 'node:events'
import { createInterface } from 'node:readline'
import { promisify } from 'node:util'

const run = promisify(execFile)

/** The built command line, as `npx aplus` runs it (npm test builds dist/ before the tests). */
export const APLUS_BIN = new URL('../../bin/aplus.js', import.meta.url).pathname

export interface CliResult {
  code: number
  stdout: string
  stderr: string
}

/** Runs `aplus …` to completion. */
export async function aplus(...args: string[]): Promise<CliResult> {
  try {
    const { stdout, stderr } = await run(process.execPath, [APLUS_BIN, ...args])
    return { code: 0, stdout, stderr }
  } catch (error) {
    const failed = error as { code: number; stdout: string; stderr: string }
    return { code: failed.code, stdout: failed.stdout, stderr: failed.stderr }
  }
}

/** Starts a long-running `aplus …` and resolves with its first line of stdout. */
export async function startAplus(...args: string[]) {
  const child = spawn(process.execPath, [APLUS_BIN, ...args], { stdio: ['ignore', 'pipe', 'pipe'] })
  let stderr = ''
  child.stderr.on('data', (chunk) => {
    stderr += chunk
  })
  const lines = createInterface({ input: child.stdout })
  const [firstLine] = (await Promise.race([
    once(lines, 'line'),
    once(child, 'exit').then(() => {
      throw new Error(`aplus ${args.join(' ')} exited before printing: ${stderr}`)
    }),
  ])) as [string]
  return {
    firstLine,
    stderr: () => stderr,
    /** Sends SIGINT, as Ctrl-C does, and resolves with the exit code. */
    async interrupt(): Promise<number | null> {
      const exited = once(child, 'exit')
      child.kill('SIGINT')
      const [code] = (await exited) as [number | null]
      return code
    },
  }
}
