import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { pathToFileURL } from 'node:url'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { ReportDocument } from '../../src/experiment/report/document.js'
import { renderHtml } from '../../src/experiment/report/html.js'
import { renderMarkdown } from '../../src/experiment/report/markdown.js'
import { browserAvailability, launchChromium } from '../support/browser.js'
import { inspectReportPage } from '../support/report-page.js'

const seconds = [0, 1, 2, 3]
const document: ReportDocument = {
  title: 'A <test> report',
  preamble: ['Two charts and a table, to check the page itself.'],
  sections: [
    {
      title: 'Numbers',
      blocks: [
        { kind: 'paragraph', text: 'Failures began at 2 s & stayed.' },
        {
          kind: 'table',
          headers: ['variant', 'failure rate'],
          rows: [['a|b', '4.0%']],
          alignRight: [false, true],
        },
        {
          kind: 'chart',
          chart: {
            id: 'requests',
            title: 'Requests per second',
            kind: 'timeline',
            labels: seconds,
            xLabel: 's',
            yLabel: 'requests/s',
            rightYLabel: 'units',
            series: [
              { label: 'offered', values: [10, 20, 30, 40] },
              { label: 'failed', values: [0, null, 5, 9], style: 'bar', stack: 'outcome' },
              { label: 'burst', values: [3, 2, 1, 0], axis: 'right', dashed: true },
            ],
          },
        },
        {
          kind: 'chart',
          chart: {
            id: 'comparison',
            title: 'Failure rate by variant',
            kind: 'comparison',
            labels: ['monolith', 'per-route'],
            xLabel: 'variant',
            yLabel: '%',
            series: [{ label: 'failure rate', values: [2, 45], style: 'bar' }],
          },
        },
      ],
    },
  ],
}

describe('the report renderers', () => {
  it('writes Markdown with escaped table cells and a pointer to each chart', () => {
    const markdown = renderMarkdown(document)
    expect(markdown).toContain('# A <test> report')
    expect(markdown).toContain('| a\\|b | 4.0% |')
    expect(markdown).toContain('| --- | ---: |')
    expect(markdown).toContain('_Chart: Requests per second (see index.html)._')
  })

  it('writes HTML that escapes text and carries the chart library inline', async () => {
    const html = await renderHtml(document)
    expect(html).toContain('<title>A &#60;test&#62; report</title>')
    expect(html).toContain('Failures began at 2 s &#38; stayed.')
    expect(html).not.toMatch(/<script[^>]+src=/)
    expect(html).toContain('Chart.js v4')
  })
})

const browser = browserAvailability()

describe.skipIf(browser.skipReason !== undefined)(
  `the HTML report in Chromium ${browser.skipReason ?? ''}`,
  () => {
    let directory: string
    beforeAll(async () => {
      directory = await mkdtemp(join(tmpdir(), 'aplus-report-'))
    })
    afterAll(() => rm(directory, { recursive: true, force: true }))

    it('draws every chart with data, offline, without console errors', async () => {
      const file = join(directory, 'index.html')
      await writeFile(file, await renderHtml(document))
      const chromium = await launchChromium(browser.executablePath ?? '')
      try {
        const page = await inspectReportPage(
          chromium,
          pathToFileURL(file).href,
          join(directory, 'report.png'),
        )
        expect(page.consoleErrors).toEqual([])
        expect(page.failedRequests).toEqual([])
        expect(page.charts.map((chart) => chart.id)).toEqual(['requests', 'comparison'])
        for (const chart of page.charts) expect(chart.pointsWithData).toBeGreaterThan(0)
        expect((await readFile(join(directory, 'report.png'))).subarray(1, 4).toString()).toBe(
          'PNG',
        )
      } finally {
        await chromium.close()
      }
    })
  },
)
