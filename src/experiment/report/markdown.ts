import type { ReportBlock, ReportDocument } from './document.js'

/** The report as Markdown; charts become a pointer to the HTML page, which draws them. */
export function renderMarkdown(document: ReportDocument, htmlFileName = 'index.html'): string {
  const lines = [
    `# ${document.title}`,
    '',
    ...document.preamble.flatMap((line) => [line, '']).slice(0, -1),
  ]
  for (const section of document.sections) {
    lines.push('', `## ${section.title}`, '')
    for (const block of section.blocks) lines.push(...renderBlock(block, htmlFileName), '')
  }
  return `${lines
    .join('\n')
    .replace(/\n{3,}/g, '\n\n')
    .trimEnd()}\n`
}

function renderBlock(block: ReportBlock, htmlFileName: string): string[] {
  switch (block.kind) {
    case 'paragraph':
      return [block.text]
    case 'list':
      return block.items.map((item) => `- ${item}`)
    case 'code':
      return ['```', block.text, '```']
    case 'chart':
      return [`_Chart: ${block.chart.title} (see ${htmlFileName})._`]
    case 'table': {
      const escapeCell = (cell: string) => cell.replace(/\|/g, '\\|')
      const align = block.headers.map((_, index) => (block.alignRight?.[index] ? '---:' : '---'))
      return [
        `| ${block.headers.map(escapeCell).join(' | ')} |`,
        `| ${align.join(' | ')} |`,
        ...block.rows.map((row) => `| ${row.map(escapeCell).join(' | ')} |`),
      ]
    }
  }
}
