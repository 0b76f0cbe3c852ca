import { cpus } from 'node:os'
import { controlledComparisons } from '../comparisons.js'
import type { ExperimentRun, VariantOutcome } from '../results.js'
import { comparisonCharts, variantCharts } from './charts.js'
import type { ReportBlock, ReportDocument, ReportSection } from './document.js'
import {
  COMPARISON_ALIGN_RIGHT,
  COMPARISON_HEADERS,
  comparisonRows,
  FAULT_HEADERS,
  faultRows,
} from './table.js'

export interface ReportContext {
  /** How to run this experiment again, exactly. */
  reproduce: string
}

/** The experiment's report as one document: the comparison first, then each variant's story. */
export function buildReport(run: ExperimentRun, context: ReportContext): ReportDocument {
  return {
    title: `aplus experiment: ${run.experiment}${run.quick ? ' (quick)' : ''}`,
    preamble: [
      `Run ${run.startedAt} to ${run.endedAt ?? 'unfinished'}, on ${cpus().length} cores, Node.js ${process.version}.`,
      `Experiment file ${run.experimentFile}, seed ${run.seed}. Reproduce with: ${context.reproduce}`,
      'Every variant ran in a fresh local cloud (API Gateway, Lambda execution environments, DynamoDB with its capacity enforced as AWS does) on the same workload, seed and load profile.',
    ],
    sections: [
      comparisonSection(run.variants),
      ...run.variants.map(variantSection),
      methodSection(),
    ],
  }
}

function comparisonSection(outcomes: readonly VariantOutcome[]): ReportSection {
  const comparisons = controlledComparisons(outcomes)
  const blocks: ReportBlock[] = [
    {
      kind: 'paragraph',
      text: 'The seed report gives two numbers per architecture, the failure rate and the average latency of successful requests; they lead the table, followed by what they hide. "Retryable" failures are refusals the client is told to retry (429, or 503 with Retry-After); "hard" failures are everything else. "WCU use" is the write units the table consumed per second in the high phase once its burst was spent, against what it has provisioned (– when the burst lasted).',
    },
    {
      kind: 'table',
      headers: COMPARISON_HEADERS,
      rows: comparisonRows(outcomes),
      alignRight: COMPARISON_ALIGN_RIGHT,
    },
    ...comparisonCharts(outcomes).map((chart): ReportBlock => ({ kind: 'chart', chart })),
  ]
  const faults = faultRows(outcomes)
  if (faults.length > 0) {
    blocks.push(
      {
        kind: 'paragraph',
        text: 'Faults the local cloud injected on purpose (seeded, so a rerun injects the same ones), beside what the client saw. The SDK retries DynamoDB 500s, 503s and resets; a crashed Lambda environment answers the request it was serving with a 500 (HTTP API) or 502 (REST API).',
      },
      {
        kind: 'table',
        headers: FAULT_HEADERS,
        rows: faults,
        alignRight: FAULT_HEADERS.map((_, index) => index > 0),
      },
    )
  }
  if (comparisons.length > 0) {
    blocks.push(
      {
        kind: 'paragraph',
        text: 'Controlled comparisons: pairs of variants that differ in one setting only.',
      },
      { kind: 'list', items: comparisons },
    )
  }
  return { title: 'Comparison', blocks }
}

function variantSection(outcome: VariantOutcome, index: number): ReportSection {
  const { settings } = outcome
  const described = [
    `topology ${settings.topology}`,
    `capacity ${settings.capacity}`,
    `starting burst balance ${settings.startingBalance}`,
    `data-layer profile ${settings.storeProfile}`,
    `${settings.model} load model`,
    `client retries ${settings.clientRetries}`,
    `admission control ${settings.admission}`,
  ].join(', ')
  const blocks: ReportBlock[] = [
    {
      kind: 'paragraph',
      text: `${outcome.description ? `${outcome.description}: ` : ''}${described}.`,
    },
  ]
  if (outcome.status === 'failed') {
    blocks.push({
      kind: 'paragraph',
      text: `This variant did not complete: ${outcome.error ?? 'unknown error'}.`,
    })
    return { title: `Variant ${outcome.name}`, blocks }
  }
  blocks.push(
    {
      kind: 'paragraph',
      text: `Phases: ${outcome.phases.map((phase) => `${phase.name} s${phase.startSecond}–${phase.endSecond}`).join(', ')}.`,
    },
    { kind: 'list', items: outcome.findings },
    ...variantCharts(outcome, `variant-${index}`).map(
      (chart): ReportBlock => ({ kind: 'chart', chart }),
    ),
  )
  return { title: `Variant ${outcome.name}`, blocks }
}

function methodSection(): ReportSection {
  return {
    title: 'Method and limits',
    blocks: [
      {
        kind: 'list',
        items: [
          "Data (students, courses, enrollments) is created first with every DynamoDB request admitted; the measured load then starts from the variant's burst balance, and acknowledged writes are read back afterwards, again unthrottled.",
          'Series are per second of the measured load. The load tester, the Lambda service and DynamoDB keep their own clocks; samples are placed by when their second began, so they line up within a second.',
          'Latency is measured from the intended send time (coordinated omission corrected). Everything runs on one machine: cold starts and SDK work of every execution environment share its cores, which lengthens latency under many new environments in a way AWS, with a CPU per environment, would not. Read concurrency, throttles and failures as the model; read absolute latency as local.',
          "Costs are estimates at AWS list prices (src/experiment/prices.ts): provisioned capacity is charged for the load's duration, on-demand for the units consumed.",
        ],
      },
    ],
  }
}
