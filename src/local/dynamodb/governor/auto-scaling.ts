import type { AutoScalingPolicy, GovernorConfig } from './config.js'
import type { ResourceSecond, SecondMetrics } from './metrics.js'
import type { AccessKind } from './partitions.js'

/** One change auto scaling decided: when it was decided and when UpdateTable applied it. */
export interface ScalingAction {
  tableName: string
  indexName: string | undefined
  kind: AccessKind
  fromUnits: number
  toUnits: number
  decidedAtMs: number
  applyAtMs: number
}

/** Applies a new provisioned level through UpdateTable, as Application Auto Scaling does. */
export type ApplyScaling = (action: ScalingAction) => Promise<void>

interface Target {
  policy: AutoScalingPolicy
  minUnits: number
  maxUnits: number
  consumedUnits: number
  secondsInPeriod: number
  /** Utilization percent per completed period, newest last. */
  datapoints: number[]
  /** Consumed units per second per completed period, newest last. */
  rates: number[]
  pending: ScalingAction | undefined
}

/**
 * Target tracking as DynamoDB auto scaling does it: consumed over provisioned capacity per
 * one-minute period; `scaleOutPeriods` periods above the target raise capacity to what the
 * consumption needs at the target, `scaleInPeriods` periods below the target minus a margin lower
 * it; either change takes effect `updateDelaySeconds` later (the UpdateTable), and no new
 * decision is made meanwhile. `timeScale` shortens periods and delays alike, for short runs.
 *
 * Not modelled: the limit on decreases per day, cooldowns, and scaling of tables not listed.
 */
export class AutoScaler {
  readonly actions: ScalingAction[] = []
  private readonly targets = new Map<string, Target>()
  private readonly inFlight = new Set<Promise<void>>()
  private readonly periodSeconds: number
  private readonly updateDelayMs: number

  constructor(
    private readonly config: GovernorConfig['autoScaling'],
    private readonly apply: ApplyScaling,
    private readonly onError: (error: unknown) => void,
  ) {
    this.periodSeconds = Math.max(1, Math.round(config.periodSeconds / config.timeScale))
    this.updateDelayMs = (config.updateDelaySeconds / config.timeScale) * 1000
  }

  get enabled(): boolean {
    return Object.keys(this.config.tables).length > 0
  }

  /** Takes each closed second: applies due changes, adds datapoints, decides new changes. */
  observe(second: SecondMetrics): void {
    const secondEndMs = (second.epochSecond + 1) * 1000
    for (const resource of second.resources) {
      const policy = this.config.tables[resource.tableName]
      if (!policy || resource.mode !== 'provisioned') continue
      for (const kind of ['read', 'write'] as const) {
        this.observeResource(resource, kind, policy, secondEndMs)
      }
    }
  }

  /** Resolves once every UpdateTable auto scaling started has finished. */
  async settled(): Promise<void> {
    while (this.inFlight.size > 0) await Promise.all([...this.inFlight])
  }

  private observeResource(
    resource: ResourceSecond,
    kind: AccessKind,
    policy: AutoScalingPolicy,
    secondEndMs: number,
  ): void {
    const provisioned = resource[kind].limitUnitsPerSecond
    const target = this.target(resource, kind, policy, provisioned)
    if (target.pending) {
      if (secondEndMs < target.pending.applyAtMs) return
      this.start(target.pending)
      target.pending = undefined
    }
    target.consumedUnits += resource[kind].consumedUnits
    target.secondsInPeriod += 1
    if (target.secondsInPeriod < this.periodSeconds) return

    const rate = target.consumedUnits / this.periodSeconds
    target.rates.push(rate)
    target.datapoints.push((100 * rate) / provisioned)
    const kept = Math.max(this.config.scaleOutPeriods, this.config.scaleInPeriods)
    if (target.datapoints.length > kept) {
      target.datapoints.shift()
      target.rates.shift()
    }
    target.consumedUnits = 0
    target.secondsInPeriod = 0
    this.decide(resource, kind, target, provisioned, secondEndMs)
  }

  private decide(
    resource: ResourceSecond,
    kind: AccessKind,
    target: Target,
    provisioned: number,
    nowMs: number,
  ): void {
    const percent = target.policy.targetUtilizationPercent
    const recent = (periods: number) => target.datapoints.slice(-periods)
    const out = recent(this.config.scaleOutPeriods)
    const scaleOut = out.length === this.config.scaleOutPeriods && out.every((p) => p > percent)
    const inPoints = recent(this.config.scaleInPeriods)
    const scaleIn =
      inPoints.length === this.config.scaleInPeriods &&
      inPoints.every((p) => p < percent - this.config.scaleInMarginPercent)
    if (!scaleOut && !scaleIn) return

    const periods = scaleOut ? this.config.scaleOutPeriods : this.config.scaleInPeriods
    const rates = target.rates.slice(-periods)
    const rate = rates.reduce((sum, value) => sum + value, 0) / rates.length
    const needed = Math.ceil(rate / (percent / 100))
    const toUnits = Math.min(target.maxUnits, Math.max(target.minUnits, needed))
    if (scaleOut ? toUnits <= provisioned : toUnits >= provisioned) return

    const action: ScalingAction = {
      tableName: resource.tableName,
      indexName: resource.indexName,
      kind,
      fromUnits: provisioned,
      toUnits,
      decidedAtMs: nowMs,
      applyAtMs: nowMs + this.updateDelayMs,
    }
    target.pending = action
    target.datapoints = []
    target.rates = []
    this.actions.push(action)
  }

  private start(action: ScalingAction): void {
    const work = this.apply(action).catch(this.onError)
    this.inFlight.add(work)
    void work.finally(() => this.inFlight.delete(work))
  }

  private target(
    resource: ResourceSecond,
    kind: AccessKind,
    policy: AutoScalingPolicy,
    provisioned: number,
  ): Target {
    const key = `${resource.tableName}\u0000${resource.indexName ?? ''}\u0000${kind}`
    let target = this.targets.get(key)
    if (!target) {
      const min = kind === 'read' ? policy.minReadUnits : policy.minWriteUnits
      const max = kind === 'read' ? policy.maxReadUnits : policy.maxWriteUnits
      target = {
        policy,
        minUnits: min ?? provisioned,
        maxUnits: Math.max(max, min ?? provisioned),
        consumedUnits: 0,
        secondsInPeriod: 0,
        datapoints: [],
        rates: [],
        pending: undefined,
      }
      this.targets.set(key, target)
    }
    return target
  }
}
