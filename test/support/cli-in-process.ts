import { main } from '../../src/cli/main.js'

/** Longer than any refusal takes; a command still running then has started serving. */
const HUNG_AFTER_MS = 15_000

export interface InProcessCliResult {
  /**
   * The exit code main resolved to, `threw` when it rejected (a stack trace at the shell), or
   * `hung` when it had not finished after HUNG_AFTER_MS (it started a server it should not have).
   */
  code: number | 'threw' | 'hung'
  stdout: string
  stderr: string
  error?: unknown
}

/**
 * Runs `aplus …` through its `main` in this process, with stdout and stderr captured: the
 * command's whole path from flags to exit code, without the cost of a process per case.
 */
export async function runCliInProcess(argv: readonly string[]): Promise<InProcessCliResult> {
  const out: string[] = []
  const err: string[] = []
  const realOut = process.stdout.write
  const realErr = process.stderr.write
  process.stdout.write = ((chunk: string | Uint8Array) => {
    out.push(String(chunk))
    return true
  }) as typeof process.stdout.write
  process.stderr.write = ((chunk: string | Uint8Array) => {
    err.push(String(chunk))
    return true
  }) as typeof process.stderr.write
  let timer: NodeJS.Timeout | undefined
  const hung = new Promise<'hung'>((resolve) => {
    timer = setTimeout(() => resolve('hung'), HUNG_AFTER_MS)
  })
  try {
    const code = await Promise.race([main(argv), hung])
    return { code, stdout: out.join(''), stderr: err.join('') }
  } catch (error) {
    return { code: 'threw', stdout: out.join(''), stderr: err.join(''), error }
  } finally {
    clearTimeout(timer)
    process.stdout.write = realOut
    process.stderr.write = realErr
  }
}
