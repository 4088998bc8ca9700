/**
 * Which calls the access log writes. Every call is counted in the metrics; the log is for the
 * ones a person needs to read one by one: every call that failed or was slow, and a sample of
 * the rest. A line per successful call was a measured share of each service's cost per call
 * (docs/benchmarks.md).
 */
export interface AccessLogPolicy {
  /** A call taking at least this long is always logged. */
  readonly slowMs: number;
  /** The share of the other (successful, fast) calls logged, 0 to 1: 0.01 is one in a hundred. */
  readonly sampleRate: number;
}

/** True when the call ending now gets a line. */
export type AccessLogDecision = (failed: boolean, durationMs: number) => boolean;

/**
 * The decision of `policy`. `random` (0 ≤ x < 1, as Math.random) draws the sample; tests pass a
 * seeded one. It is not called for calls that are logged anyway, nor with a rate of 0 or 1.
 */
export function accessLogDecision(policy: AccessLogPolicy, random: () => number = Math.random): AccessLogDecision {
  const { slowMs, sampleRate } = policy;
  if (sampleRate >= 1) return () => true;
  if (sampleRate <= 0) return (failed, durationMs) => failed || durationMs >= slowMs;
  return (failed, durationMs) => failed || durationMs >= slowMs || random() < sampleRate;
}
