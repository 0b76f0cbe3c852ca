import { execFile } from 'node:child_process'
import { promisify } from 'node:util'

const run = promisify(execFile)

export function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b)
  return sorted[Math.floor(sorted.length / 2)] ?? Number.NaN
}

/** Resident memory of a process's direct children, in bytes (0 when it has none). */
export async function childRss(pid: number): Promise<number> {
  try {
    const { stdout } = await run('ps', ['-o', 'rss=', '--ppid', String(pid)])
    return stdout
      .split('\n')
      .filter((line) => line.trim() !== '')
      .reduce((sum, line) => sum + Number(line.trim()) * 1024, 0)
  } catch {
    // ps exits 1 when the process has no children.
    return 0
  }
}

/** A table of rows on stderr, columns padded to their widest cell. */
export function printTable(rows: readonly Record<string, string | number>[]): void {
  const [first] = rows
  if (!first) return
  const columns = Object.keys(first)
  const widths = columns.map((column) =>
    Math.max(column.length, ...rows.map((row) => String(row[column] ?? '').length)),
  )
  const line = (cells: readonly string[]) =>
    cells.map((cell, index) => cell.padEnd(widths[index] ?? 0)).join('  ')
  process.stderr.write(`${line(columns)}\n`)
  for (const row of rows) {
    process.stderr.write(`${line(columns.map((column) => String(row[column] ?? '')))}\n`)
  }
}
