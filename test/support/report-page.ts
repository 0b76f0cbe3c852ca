import type { Browser } from 'playwright-core'

export interface ReportPageInspection {
  consoleErrors: string[]
  /** Requests the page tried beyond its own file: a self-contained report makes none. */
  failedRequests: string[]
  charts: { id: string; datasets: number; pointsWithData: number }[]
}

/**
 * Opens a report page, waits for its charts, reads what each Chart.js instance holds, and saves
 * a full-page screenshot.
 */
export async function inspectReportPage(
  browser: Browser,
  url: string,
  screenshotPath: string,
): Promise<ReportPageInspection> {
  const page = await browser.newPage({ viewport: { width: 1280, height: 900 } })
  const consoleErrors: string[] = []
  const failedRequests: string[] = []
  page.on('console', (message) => {
    if (message.type() === 'error') consoleErrors.push(message.text())
  })
  page.on('pageerror', (error) => consoleErrors.push(error.message))
  page.on('request', (request) => {
    if (request.url() !== url) failedRequests.push(request.url())
  })
  await page.goto(url)
  await page.waitForSelector('body[data-charts-drawn]', { timeout: 10_000 })
  const charts = await page.evaluate(() => {
    // This runs in the page; the project's types do not include the DOM, so it names what it uses.
    interface Canvas {
      id: string
    }
    interface ChartInstance {
      data: { datasets: { data: (number | null)[] }[] }
    }
    interface PageGlobals {
      document: { querySelectorAll(selector: string): Iterable<Canvas> }
      Chart: { getChart(canvas: Canvas): ChartInstance | undefined }
    }
    const { document, Chart } = globalThis as unknown as PageGlobals
    return [...document.querySelectorAll('canvas[data-chart]')].map((canvas) => {
      const chart = Chart.getChart(canvas)
      const datasets = chart?.data.datasets ?? []
      return {
        id: canvas.id,
        datasets: datasets.length,
        pointsWithData: datasets.reduce(
          (sum, dataset) =>
            sum + dataset.data.filter((value) => value !== null && value !== undefined).length,
          0,
        ),
      }
    })
  })
  await page.screenshot({ path: screenshotPath, fullPage: true })
  await page.close()
  return { consoleErrors, failedRequests, charts }
}
