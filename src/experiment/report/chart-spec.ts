/**
 * A chart as the report describes it: series of numbers over shared labels (seconds of the run,
 * or variant names). The HTML page turns each into a Chart.js chart; keeping the description
 * this small lets the report code stay free of the chart library's option maze.
 */
export interface ChartSpec {
  id: string
  title: string
  kind: 'timeline' | 'comparison'
  /** The x values: seconds for timelines, variant names for comparisons. */
  labels: (number | string)[]
  xLabel: string
  yLabel: string
  /** A second y axis on the right, for series with `axis: 'right'`. */
  rightYLabel?: string
  series: ChartSeries[]
}

export interface ChartSeries {
  label: string
  /** One value per label; null where there is no value (a gap, not a zero). */
  values: (number | null)[]
  style?: 'line' | 'bar' | 'area'
  axis?: 'left' | 'right'
  /** Series with the same stack name are stacked (bars or areas). */
  stack?: string
  dashed?: boolean
}

/** A palette that stays readable for the colour-blind (Okabe–Ito). */
const PALETTE = [
  '#0072B2',
  '#D55E00',
  '#009E73',
  '#CC79A7',
  '#E69F00',
  '#56B4E9',
  '#F0E442',
  '#000000',
]

/** The Chart.js configuration for a spec, as plain JSON. */
export function toChartJsConfig(spec: ChartSpec): Record<string, unknown> {
  const hasRight = spec.series.some((series) => series.axis === 'right')
  const stacked = spec.series.some((series) => series.stack !== undefined)
  return {
    type: 'line',
    data: {
      labels: spec.labels,
      datasets: spec.series.map((series, index) => {
        const colour = PALETTE[index % PALETTE.length]
        return {
          label: series.label,
          data: series.values,
          type: series.style === 'bar' ? 'bar' : 'line',
          borderColor: colour,
          backgroundColor:
            series.style === 'line' || series.style === undefined ? colour : `${colour}99`,
          fill: series.style === 'area' ? 'stack' : false,
          borderDash: series.dashed ? [6, 4] : [],
          pointRadius: 0,
          borderWidth: 2,
          spanGaps: false,
          yAxisID: series.axis === 'right' ? 'right' : 'left',
          // On stacked scales every dataset stacks with its group; a series without a stack
          // name gets a group of its own so it is drawn as it is.
          ...(stacked ? { stack: series.stack ?? `alone-${index}` } : {}),
        }
      }),
    },
    options: {
      animation: false,
      responsive: true,
      maintainAspectRatio: false,
      interaction: { mode: 'index', intersect: false },
      plugins: { title: { display: true, text: spec.title }, legend: { position: 'bottom' } },
      scales: {
        x: { title: { display: true, text: spec.xLabel }, stacked },
        left: {
          position: 'left',
          beginAtZero: true,
          stacked,
          title: { display: true, text: spec.yLabel },
        },
        ...(hasRight
          ? {
              right: {
                position: 'right',
                beginAtZero: true,
                grid: { drawOnChartArea: false },
                title: { display: true, text: spec.rightYLabel ?? '' },
              },
            }
          : {}),
      },
    },
  }
}
