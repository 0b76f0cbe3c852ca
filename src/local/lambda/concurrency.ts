import {
  DEFAULT_ACCOUNT_CONCURRENCY,
  DEFAULT_MINIMUM_UNRESERVED_CONCURRENCY,
  DEFAULT_SCALING_ENVIRONMENTS,
  DEFAULT_SCALING_WINDOW_MS,
  INVOCATIONS_PER_SECOND_PER_CONCURRENCY,
} from './defaults.js'
import { LambdaConfigError } from './errors.js'
import { type Clock, monotonicClock, TokenBucket } from './token-bucket.js'

/**
 * The `Reason` of Lambda's 429 TooManyRequestsException. Which reason AWS gives for the scaling
 * rate limit is not documented; the local service uses FunctionInvocationRateLimitExceeded, the
 * function-level rate reason.
 */
export type ThrottleReason =
  | 'ReservedFunctionConcurrentInvocationLimitExceeded'
  | 'ConcurrentInvocationLimitExceeded'
  | 'ReservedFunctionInvocationRateLimitExceeded'
  | 'FunctionInvocationRateLimitExceeded'

export interface AccountLimits {
  accountConcurrency: number
  minimumUnreservedConcurrency: number
  scalingEnvironments: number
  scalingWindowMs: number
}

export const DEFAULT_ACCOUNT_LIMITS: AccountLimits = {
  accountConcurrency: DEFAULT_ACCOUNT_CONCURRENCY,
  minimumUnreservedConcurrency: DEFAULT_MINIMUM_UNRESERVED_CONCURRENCY,
  scalingEnvironments: DEFAULT_SCALING_ENVIRONMENTS,
  scalingWindowMs: DEFAULT_SCALING_WINDOW_MS,
}

export interface FunctionLimits {
  name: string
  /** Caps the function and is taken out of the unreserved pool; 0 throttles every invocation. */
  reservedConcurrency?: number | undefined
  /** Pre-initialized environments; they count against the reservation or the unreserved pool. */
  provisionedConcurrency?: number | undefined
}

/** Where an admitted invocation runs, which decides what it draws on. */
export type Placement = 'provisioned' | 'warm' | 'new'

export type Admission =
  | { admitted: true; lease: Lease }
  | { admitted: false; reason: ThrottleReason }

/** One admitted invocation's hold on concurrency, returned with release(). */
export interface Lease {
  readonly functionName: string
  readonly placement: Placement
}

interface FunctionState {
  limits: FunctionLimits
  inFlight: number
  scaling: TokenBucket
  invokeRate: TokenBucket | undefined
}

/**
 * Lambda's concurrency rules for one account, as plain bookkeeping: reserved concurrency caps a
 * function and is carved out of the account; functions without a reservation share what is
 * left (minus their provisioned concurrency, allocated ahead); every new environment spends a
 * token of the function's scaling rate; invoke requests are capped at 10 per second per unit of
 * concurrency. Nothing queues: an invocation is admitted now or throttled with a reason.
 */
export class ConcurrencyGovernor {
  private readonly functions = new Map<string, FunctionState>()
  private readonly unreservedPool: number
  private unreservedInFlight = 0
  private readonly accountInvokeRate: TokenBucket

  constructor(
    readonly account: AccountLimits,
    functions: readonly FunctionLimits[],
    clock: Clock = monotonicClock,
  ) {
    validateLimits(account, functions)
    let carvedOut = 0
    for (const limits of functions) {
      carvedOut += limits.reservedConcurrency ?? limits.provisionedConcurrency ?? 0
      const rateConcurrency = limits.reservedConcurrency
      this.functions.set(limits.name, {
        limits,
        inFlight: 0,
        scaling: new TokenBucket(
          account.scalingEnvironments,
          (account.scalingEnvironments * 1000) / account.scalingWindowMs,
          clock,
        ),
        invokeRate: rateConcurrency === undefined ? undefined : rateBucket(rateConcurrency, clock),
      })
    }
    this.unreservedPool = account.accountConcurrency - carvedOut
    this.accountInvokeRate = rateBucket(account.accountConcurrency, clock)
  }

  /** Admits an invocation of a function placed as given, or names why it is throttled. */
  admit(functionName: string, placement: Placement): Admission {
    const state = this.stateOf(functionName)
    const reserved = state.limits.reservedConcurrency
    if (reserved !== undefined) {
      if (state.inFlight >= reserved) {
        return { admitted: false, reason: 'ReservedFunctionConcurrentInvocationLimitExceeded' }
      }
      if (state.invokeRate && !state.invokeRate.tryTake()) {
        return { admitted: false, reason: 'ReservedFunctionInvocationRateLimitExceeded' }
      }
    } else if (placement !== 'provisioned' && this.unreservedInFlight >= this.unreservedPool) {
      return { admitted: false, reason: 'ConcurrentInvocationLimitExceeded' }
    }
    if (!this.accountInvokeRate.tryTake()) {
      return { admitted: false, reason: 'FunctionInvocationRateLimitExceeded' }
    }
    if (placement === 'new' && !state.scaling.tryTake()) {
      return { admitted: false, reason: 'FunctionInvocationRateLimitExceeded' }
    }
    state.inFlight += 1
    if (reserved === undefined && placement !== 'provisioned') this.unreservedInFlight += 1
    return { admitted: true, lease: { functionName, placement } }
  }

  release(lease: Lease): void {
    const state = this.stateOf(lease.functionName)
    state.inFlight -= 1
    if (state.limits.reservedConcurrency === undefined && lease.placement !== 'provisioned') {
      this.unreservedInFlight -= 1
    }
  }

  /** Invocations of a function running now (its concurrent executions). */
  inFlight(functionName: string): number {
    return this.stateOf(functionName).inFlight
  }

  /** Concurrency left for functions without a reservation. */
  unreservedAvailable(): number {
    return this.unreservedPool - this.unreservedInFlight
  }

  private stateOf(functionName: string): FunctionState {
    const state = this.functions.get(functionName)
    if (!state) throw new LambdaConfigError(`no limits are set for function '${functionName}'`)
    return state
  }
}

function rateBucket(concurrency: number, clock: Clock): TokenBucket {
  const perSecond = concurrency * INVOCATIONS_PER_SECOND_PER_CONCURRENCY
  return new TokenBucket(perSecond, perSecond, clock)
}

/** Refuses settings AWS would refuse, with the message naming the function and the numbers. */
export function validateLimits(account: AccountLimits, functions: readonly FunctionLimits[]): void {
  let carvedOut = 0
  for (const fn of functions) {
    const { reservedConcurrency: reserved, provisionedConcurrency: provisioned } = fn
    if (reserved !== undefined && provisioned !== undefined && provisioned > reserved) {
      throw new LambdaConfigError(
        `function '${fn.name}': provisioned concurrency ${provisioned} exceeds its reserved concurrency ${reserved}`,
      )
    }
    carvedOut += reserved ?? provisioned ?? 0
  }
  const minimum = Math.min(account.minimumUnreservedConcurrency, account.accountConcurrency)
  const left = account.accountConcurrency - carvedOut
  if (carvedOut > 0 && left < minimum) {
    throw new LambdaConfigError(
      `reserved and provisioned concurrency (${carvedOut} in all) leave ${left} of the account's ${account.accountConcurrency} unreserved; at least ${minimum} must stay unreserved`,
    )
  }
}
