import { mkdtemp, readdir, readFile, rm, stat } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { pathToFileURL } from 'node:url'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { ExperimentRun } from '../../src/experiment/results.js'
import { browserAvailability, launchChromium } from '../support/browser.js'
import { aplus, type CliResult } from '../support/cli.js'
import { inspectReportPage } from '../support/report-page.js'

// The real quick experiment, as CI runs it: two variants in fresh local clouds, about a minute.
const QUICK_RUN_TIMEOUT_MS = 180_000

let out: string
let run: CliResult
let directory: string

beforeAll(async () => {
  out = await mkdtemp(join(tmpdir(), 'aplus-experiment-'))
  run = await aplus('experiment', '--quick', '--out', out)
  const [folder] = await readdir(out)
  directory = join(out, folder ?? '')
}, QUICK_RUN_TIMEOUT_MS)

afterAll(() => rm(out, { recursive: true, force: true }))

describe('aplus experiment --quick', () => {
  it('runs every quick variant and prints the comparison table', () => {
    expect(run.code).toBe(0)
    const lines = run.stdout.trim().split('\n')
    expect(lines[0]).toMatch(/^variant\s+failure rate\s+avg ok ms/)
    expect(lines.some((line) => /^monolith\s+\d+(\.\d)?%/.test(line))).toBe(true)
    expect(lines.some((line) => /^per-route\s+\d+(\.\d)?%/.test(line))).toBe(true)
    expect(run.stderr).toContain('report: ')
  })

  it('records every variant with its settings, series and findings', async () => {
    const results = JSON.parse(
      await readFile(join(directory, 'results.json'), 'utf8'),
    ) as ExperimentRun
    expect(results.variants.map((variant) => [variant.name, variant.status])).toEqual([
      ['monolith', 'completed'],
      ['per-route', 'completed'],
    ])
    for (const variant of results.variants) {
      const summary = variant.summary
      expect(summary?.requests).toBeGreaterThan(100)
      expect(summary?.lostWrites).toBe(0)
      // Whatever DynamoDB refused shows at the table or index that refused it.
      const refusedByResources = (summary?.resources ?? []).reduce(
        (sum, resource) => sum + resource.throttledReads + resource.throttledWrites,
        0,
      )
      expect(refusedByResources > 0).toBe((summary?.dynamodbThrottledRequests ?? 0) > 0)
      expect(variant.series?.seconds.length).toBeGreaterThan(5)
      expect(variant.findings.join(' ')).toMatch(/Failures began at second \d+|No second had/)
    }
    const perRoute = results.variants[1]?.summary
    expect(perRoute?.functions.filter((fn) => fn.invocations > 0).length).toBeGreaterThan(5)
  })

  it('writes the Markdown report beside the results', async () => {
    const markdown = await readFile(join(directory, 'report.md'), 'utf8')
    expect(markdown).toContain('# aplus experiment: seed (quick)')
    expect(markdown).toContain('| variant | failure rate |')
    expect(markdown).toContain('## Variant per-route')
  })
})

const browser = browserAvailability()

describe.skipIf(browser.skipReason !== undefined)(
  `the experiment's HTML report ${browser.skipReason ?? ''}`,
  () => {
    it('draws every chart with data, offline, without console errors, and is saved as a screenshot', async () => {
      const chromium = await launchChromium(browser.executablePath ?? '')
      try {
        const screenshot = join(directory, 'report.png')
        const page = await inspectReportPage(
          chromium,
          pathToFileURL(join(directory, 'index.html')).href,
          screenshot,
        )
        expect(page.consoleErrors).toEqual([])
        expect(page.failedRequests).toEqual([])
        expect(page.charts.length).toBeGreaterThanOrEqual(4 + 2 * 6)
        for (const chart of page.charts) {
          expect(chart.pointsWithData, `chart ${chart.id} has no data`).toBeGreaterThan(0)
        }
        expect((await stat(screenshot)).size).toBeGreaterThan(10_000)
      } finally {
        await chromium.close()
      }
    }, 60_000)
  },
)

describe('aplus experiment with bad input', () => {
  it.each([
    [['no/such/file.yaml'], 'cannot read the file'],
    [['--variant', 'hybrid', '--quick'], "no variant is named 'hybrid'"],
    [['--speed', 'fast'], "Unknown option '--speed'"],
    [['a.yaml', 'b.yaml'], 'expected at most one experiment file, got 2'],
  ])('refuses %j with exit code 2 before running anything', async (args, message) => {
    const result = await aplus('experiment', ...args)
    expect(result.code).toBe(2)
    expect(result.stderr).toContain(message)
  })
})
