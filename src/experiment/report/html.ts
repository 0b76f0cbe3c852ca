import { readFile } from 'node:fs/promises'
import { createRequire } from 'node:module'
import { dirname, join } from 'node:path'
import { toChartJsConfig } from './chart-spec.js'
import type { ReportBlock, ReportDocument } from './document.js'

const require = createRequire(import.meta.url)

/** Chart.js's self-contained build, inlined so the page needs no network. */
async function chartJsSource(): Promise<string> {
  // The package exports only its module builds; the browser bundle sits beside them.
  return readFile(join(dirname(require.resolve('chart.js')), 'chart.umd.min.js'), 'utf8')
}

/** The report as one HTML file with its charts' library and data inside: it opens offline. */
export async function renderHtml(document: ReportDocument): Promise<string> {
  const charts: Record<string, unknown> = {}
  const body = document.sections
    .map((section) => {
      const blocks = section.blocks.map((block) => renderBlock(block, charts)).join('\n')
      return `<section>\n<h2>${escapeHtml(section.title)}</h2>\n${blocks}\n</section>`
    })
    .join('\n')
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(document.title)}</title>
<style>${STYLE}</style>
</head>
<body>
<h1>${escapeHtml(document.title)}</h1>
${document.preamble.map((line) => `<p class="preamble">${escapeHtml(line)}</p>`).join('\n')}
${body}
<script>${await chartJsSource()}</script>
<script type="application/json" id="chart-configs">${jsonForScript(charts)}</script>
<script>${DRAW_CHARTS}</script>
</body>
</html>
`
}

function renderBlock(block: ReportBlock, charts: Record<string, unknown>): string {
  switch (block.kind) {
    case 'paragraph':
      return `<p>${escapeHtml(block.text)}</p>`
    case 'list':
      return `<ul>${block.items.map((item) => `<li>${escapeHtml(item)}</li>`).join('')}</ul>`
    case 'code':
      return `<pre>${escapeHtml(block.text)}</pre>`
    case 'chart':
      charts[block.chart.id] = toChartJsConfig(block.chart)
      return `<figure class="chart"><canvas id="${escapeHtml(block.chart.id)}" data-chart role="img" aria-label="${escapeHtml(block.chart.title)}"></canvas></figure>`
    case 'table': {
      const cell = (tag: string, text: string, index: number) =>
        `<${tag}${block.alignRight?.[index] ? ' class="num"' : ''}>${escapeHtml(text)}</${tag}>`
      const head = `<tr>${block.headers.map((text, index) => cell('th', text, index)).join('')}</tr>`
      const rows = block.rows.map(
        (row) => `<tr>${row.map((text, index) => cell('td', text, index)).join('')}</tr>`,
      )
      return `<div class="table"><table><thead>${head}</thead><tbody>${rows.join('')}</tbody></table></div>`
    }
  }
}

export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (character) => `&#${character.charCodeAt(0)};`)
}

/** JSON that cannot close the script element it sits in. */
function jsonForScript(value: unknown): string {
  return JSON.stringify(value).replace(/</g, '\\u003c')
}

const DRAW_CHARTS = `
const configs = JSON.parse(document.getElementById('chart-configs').textContent);
for (const canvas of document.querySelectorAll('canvas[data-chart]')) {
  new Chart(canvas, configs[canvas.id]);
}
document.body.dataset.chartsDrawn = String(Object.keys(configs).length);
`

const STYLE = `
body { font: 15px/1.5 system-ui, sans-serif; max-width: 1200px; margin: 2rem auto; padding: 0 1rem; color: #1b1b1b; }
h1 { font-size: 1.6rem; } h2 { margin-top: 2.5rem; border-bottom: 1px solid #ddd; padding-bottom: .3rem; }
.preamble { color: #555; margin: .2rem 0; }
.table { overflow-x: auto; } table { border-collapse: collapse; margin: 1rem 0; font-size: 14px; }
th, td { border: 1px solid #ddd; padding: .3rem .6rem; text-align: left; } th { background: #f4f4f4; }
td.num, th.num { text-align: right; font-variant-numeric: tabular-nums; }
figure.chart { height: 320px; margin: 1rem 0 2rem; }
pre { background: #f6f6f6; padding: .8rem; overflow-x: auto; }
`
