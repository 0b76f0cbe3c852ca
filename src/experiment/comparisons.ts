import type { VariantSettings } from './definition.js'
import { percent } from './findings.js'
import type { VariantOutcome } from './results.js'

type ComparedSetting = Exclude<keyof VariantSettings, 'cloud'>

const SETTING_NAMES: Record<ComparedSetting, string> = {
  topology: 'topology',
  capacity: 'capacity',
  startingBalance: 'starting burst balance',
  storeProfile: 'data-layer profile',
  model: 'load model',
  clientRetries: 'client retries',
  admission: 'admission control',
}

/**
 * What changing one setting did: for every pair of completed variants that differ in exactly
 * one setting (their Lambda and gateway settings equal), a sentence with the measured change.
 * These are the experiment's controlled comparisons; everything they say is in the table too.
 */
export function controlledComparisons(outcomes: readonly VariantOutcome[]): string[] {
  const completed = outcomes.filter((outcome) => outcome.summary)
  const sentences: string[] = []
  for (const [index, first] of completed.entries()) {
    for (const second of completed.slice(index + 1)) {
      const changed = differingSettings(first.settings, second.settings)
      if (changed.length !== 1) continue
      const [setting] = changed as [ComparedSetting]
      sentences.push(describeChange(setting, first, second))
    }
  }
  return sentences
}

function differingSettings(a: VariantSettings, b: VariantSettings): string[] {
  if (JSON.stringify(a.cloud) !== JSON.stringify(b.cloud)) return ['cloud', 'more']
  return (Object.keys(SETTING_NAMES) as ComparedSetting[]).filter((key) => a[key] !== b[key])
}

function describeChange(
  setting: ComparedSetting,
  from: VariantOutcome,
  to: VariantOutcome,
): string {
  const a = from.summary
  const b = to.summary
  if (!a || !b) return ''
  const cost = (outcome: VariantOutcome) =>
    outcome.cost?.perMillionRequestsUsd === undefined
      ? 'n/a'
      : `$${outcome.cost.perMillionRequestsUsd.toFixed(2)}`
  return (
    `${SETTING_NAMES[setting]} ${String(from.settings[setting])} → ${String(to.settings[setting])} ` +
    `(${from.name} → ${to.name}): failure rate ${percent(a.failureRate)} → ${percent(b.failureRate)}, ` +
    `average latency of successful requests ${a.averageSuccessLatencyMs.toFixed(0)} → ${b.averageSuccessLatencyMs.toFixed(0)} ms, ` +
    `p99 ${a.p99Ms.toFixed(0)} → ${b.p99Ms.toFixed(0)} ms, ` +
    `throughput ${a.throughputPerSecond.toFixed(1)} → ${b.throughputPerSecond.toFixed(1)} requests/s, ` +
    `DynamoDB throttled requests ${a.dynamodbThrottledRequests} → ${b.dynamodbThrottledRequests}, ` +
    `cold starts ${a.coldStarts} → ${b.coldStarts}, cost per million requests ${cost(from)} → ${cost(to)}.`
  )
}
