/** Small formatting helpers shared by the progress line and the summary. */

export function formatMs(valueMs: number): string {
  if (valueMs >= 10_000) return `${(valueMs / 1000).toFixed(1)} s`
  if (valueMs >= 100) return `${valueMs.toFixed(0)} ms`
  if (valueMs >= 10) return `${valueMs.toFixed(1)} ms`
  return `${valueMs.toFixed(2)} ms`
}

export function formatPercent(fraction: number): string {
  if (fraction > 0 && fraction < 0.0001) return '<0.01%'
  return `${(fraction * 100).toFixed(2)}%`
}

export function formatCount(count: number): string {
  return count.toLocaleString('en-US')
}

/** Lays rows out in columns: the first left-aligned, the rest right-aligned. */
export function table(rows: readonly (readonly string[])[], indent = '  '): string[] {
  const widths: number[] = []
  for (const row of rows) {
    row.forEach((cell, index) => {
      widths[index] = Math.max(widths[index] ?? 0, cell.length)
    })
  }
  return rows.map(
    (row) =>
      indent +
      row
        .map((cell, index) =>
          index === 0 ? cell.padEnd(widths[0] ?? 0) : cell.padStart(widths[index] ?? 0),
        )
        .join('  ')
        .trimEnd(),
  )
}
