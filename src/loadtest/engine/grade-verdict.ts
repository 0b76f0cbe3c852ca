import type { GradeHistory } from '../workload/ledger.js'

export interface GradeVerdict {
  problem: 'lost' | 'duplicated' | 'stale' | 'mismatched'
  detail: string
}

/**
 * Judges one graded (course, student) key from its write history and the values the API lists
 * for it. When writes to the key never overlapped and none had an unknown outcome, the server
 * must hold exactly the last acknowledged grade; otherwise any grade this run sent may have won.
 */
export function gradeVerdict(history: GradeHistory, stored: unknown[]): GradeVerdict | undefined {
  const acknowledged = history.writes.filter((write) => write.outcome === 'acknowledged')
  if (acknowledged.length === 0) return undefined
  if (stored.length === 0) {
    return {
      problem: 'lost',
      detail: `${acknowledged.length} acknowledged grade writes, none stored`,
    }
  }
  if (stored.length > 1) {
    return { problem: 'duplicated', detail: `listed ${stored.length} times: ${stored.join(', ')}` }
  }

  const value = stored[0]
  const sentValues = new Set<unknown>(history.writes.map((write) => write.grade))
  const orderKnown =
    !history.overlapped && history.writes.every((write) => write.outcome !== 'ambiguous')
  const last = acknowledged.at(-1)?.grade
  if (!sentValues.has(value)) {
    return { problem: 'mismatched', detail: `stored ${String(value)}, never sent` }
  }
  if (orderKnown && value !== last) {
    return {
      problem: 'stale',
      detail: `stored ${String(value)}, last acknowledged ${last} (writes never overlapped)`,
    }
  }
  return undefined
}
