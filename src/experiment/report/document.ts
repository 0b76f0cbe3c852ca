import type { ChartSpec } from './chart-spec.js'

/**
 * The report as a document: sections of paragraphs, lists, tables and charts. It is built once
 * from the results and rendered twice, to Markdown and to a self-contained HTML page.
 */
export interface ReportDocument {
  title: string
  /** Lines under the title: when, what, how to reproduce. */
  preamble: string[]
  sections: ReportSection[]
}

export interface ReportSection {
  title: string
  blocks: ReportBlock[]
}

export type ReportBlock =
  | { kind: 'paragraph'; text: string }
  | { kind: 'list'; items: string[] }
  | { kind: 'table'; headers: string[]; rows: string[][]; alignRight?: boolean[] }
  | { kind: 'chart'; chart: ChartSpec }
  | { kind: 'code'; text: string }
