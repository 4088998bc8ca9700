import { status as Status } from '@grpc/grpc-js';

/**
 * The codes that say Recommendations is failing or overloaded. A6's throttling counts the policy's
 * retryable (here non-fatal) codes, UNAVAILABLE; DEADLINE_EXCEEDED and RESOURCE_EXHAUSTED count
 * too, because a hedge to a backend that times out or is at its limits doubles the load on it.
 * Other codes (INVALID_ARGUMENT, INTERNAL, …) are answers, neither success nor overload.
 */
export const BUDGET_FAILURES: ReadonlySet<Status> = new Set([
  Status.UNAVAILABLE,
  Status.DEADLINE_EXCEEDED,
  Status.RESOURCE_EXHAUSTED,
]);

/** Whether hedging may be used now, from the outcomes of recent calls (see createHedgeBudget). */
export interface HedgeBudget {
  /** True while tokens > maxTokens / 2. */
  allowsHedging(): boolean;
  /** Told the final status of every call on either channel. */
  record(code: Status): void;
  readonly tokens: number;
}

export interface HedgeBudgetOptions {
  /** 10, as the service config's retryThrottling. */
  readonly maxTokens?: number;
  /** What a successful call gives back: 0.1, so hedging needs >= 90 % of calls to succeed. */
  readonly tokenRatio?: number;
  /** Called when hedging turns on or off (the `marketplace_hedging_enabled` gauge). */
  readonly onChange?: (hedging: boolean) => void;
}

/**
 * gRFC A6's retry throttling, applied to hedges, which grpc-js 1.14 does not throttle: a token
 * bucket that starts full, loses 1 per failed call (BUDGET_FAILURES) and gains `tokenRatio` per
 * successful one; hedging is allowed while more than half the tokens are left. With every call
 * failing, hedging stops after maxTokens / 2 calls, so a failing backend is not sent twice the load.
 */
export function createHedgeBudget(options: HedgeBudgetOptions = {}): HedgeBudget {
  const maxTokens = options.maxTokens ?? 10;
  const tokenRatio = options.tokenRatio ?? 0.1;
  let tokens = maxTokens;
  let hedging = true;
  return {
    allowsHedging: () => hedging,
    record(code) {
      if (code === Status.OK) tokens = Math.min(maxTokens, tokens + tokenRatio);
      else if (BUDGET_FAILURES.has(code)) tokens = Math.max(0, tokens - 1);
      else return;
      // Rounded: ten successes of 0.1 must give back exactly one token.
      tokens = Math.round(tokens * 1000) / 1000;
      if (tokens > maxTokens / 2 === hedging) return;
      hedging = !hedging;
      options.onChange?.(hedging);
    },
    get tokens() {
      return tokens;
    },
  };
}
