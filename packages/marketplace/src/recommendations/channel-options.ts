import { RECOMMENDATION_SERVICE_NAME } from '@bookstore/contracts';
import type { ChannelOptions, experimental } from '@grpc/grpc-js';

const methods = (...names: string[]) => names.map((method) => ({ service: RECOMMENDATION_SERVICE_NAME, method }));

/**
 * UNAVAILABLE: the call never reached a handler, so another attempt is safe. ListBooks (a stream
 * of up to the whole catalog, capped on the server) is retried on that code only.
 */
const RETRY_POLICY = {
  maxAttempts: 3,
  initialBackoff: '0.01s',
  maxBackoff: '0.1s',
  backoffMultiplier: 2,
  retryableStatusCodes: ['UNAVAILABLE'],
};

/**
 * The codes on which a read-only unary call (Recommend, GetBook) is tried again: UNAVAILABLE, and
 * RESOURCE_EXHAUSTED. Node's HTTP/2 server refuses a new stream with ENHANCE_YOUR_CALM, which
 * grpc-js reports as RESOURCE_EXHAUSTED ("Bandwidth exhausted or memory limit exceeded"), while
 * its table of streams is full; a stream the client has already reset (a lost hedge) can stay in
 * that table for a turn of the server's event loop, so a client that keeps within the advertised
 * MAX_CONCURRENT_STREAMS is refused now and then under load (0.72 % of Recommends at 32 in flight
 * on one connection, hedged: docs/operations.md, "Stream refusals"). The refused
 * stream reached no handler, and the calls have no side effects, so another attempt is safe. The
 * same code from a handler (a server at one of its limits) gets no more attempts than UNAVAILABLE
 * does, and counts against the retry throttle and the hedge budget (hedge-budget.ts) as it does.
 * Recommend and GetBook have no such limit today; one added to them should answer with the
 * trailer `grpc-retry-pushback-ms: -1` (gRFC A6), which tells grpc-js not to try again.
 */
const READ_RETRY_CODES = ['UNAVAILABLE', 'RESOURCE_EXHAUSTED'];

/**
 * Ejects a replica failing more than 40 % of at least 10 calls in a 1 s interval, for 5 s (10 s,
 * 15 s… when it fails again, at most 30 s), never more than one of three. grpc-js' defaults
 * (minimum_hosts 5) never act on the bookstore's 3 replicas, and its success-rate check cannot:
 * with 3 hosts one outlier is at most 1.41 standard deviations from the mean, below any useful
 * stdev_factor. Durations must be {seconds, nanos} objects: grpc-js rejects "1s" strings here
 * (unlike in methodConfig). See docs/operations.md, "Outlier detection".
 */
export const OUTLIER_DETECTION = {
  interval: { seconds: 1, nanos: 0 },
  base_ejection_time: { seconds: 5, nanos: 0 },
  max_ejection_time: { seconds: 30, nanos: 0 },
  // grpc-js stops ejecting once the ejected share is >= this: 33 lets one of 3 go, 2 of 5.
  max_ejection_percent: 33,
  failure_percentage_ejection: { threshold: 40, enforcement_percentage: 100, minimum_hosts: 3, request_volume: 10 },
  child_policy: [{ round_robin: {} }],
} satisfies experimental.OutlierDetectionRawConfig;

/**
 * The service config, per method by its proto `idempotency_level`: Recommend and GetBook
 * (NO_SIDE_EFFECTS, unary) are hedged when `hedgingDelayMs` is given, else retried; ListBooks
 * (a stream of up to the whole catalog: a second attempt would double a large read) is retried.
 * RecordEvents and ImportEvents have side effects and get neither; the one RecordEvents stream
 * lives for hours, and a retry policy would make grpc-js buffer every message written to it (to
 * replay on a new attempt): the reader-events sender reconnects and resends from its own bounded
 * outbox instead. A method named nowhere gets no policy, so a new one is not retried by accident.
 */
export function recommendationsServiceConfig(hedgingDelayMs?: number): object {
  const hedgedOrRetried =
    hedgingDelayMs === undefined
      ? { retryPolicy: { ...RETRY_POLICY, retryableStatusCodes: READ_RETRY_CODES } }
      : {
          hedgingPolicy: {
            maxAttempts: 2,
            hedgingDelay: `${hedgingDelayMs / 1000}s`,
            nonFatalStatusCodes: READ_RETRY_CODES,
          },
        };
  return {
    loadBalancingConfig: [{ outlier_detection: OUTLIER_DETECTION }],
    methodConfig: [
      { name: methods('Recommend', 'GetBook'), ...hedgedOrRetried },
      { name: methods('ListBooks'), retryPolicy: RETRY_POLICY },
      { name: methods('RecordEvents', 'ImportEvents') },
    ],
    // Throttles retries (not hedges: grpc-js does not, recommendations/hedge-budget.ts does).
    retryThrottling: { maxTokens: 10, tokenRatio: 0.1 },
  };
}

/** The channel options; with `hedgingDelayMs`, Recommend and GetBook are hedged after that delay. */
export function recommendationsChannelOptions(hedgingDelayMs?: number): ChannelOptions {
  return {
    'grpc.service_config': JSON.stringify(recommendationsServiceConfig(hedgingDelayMs)),
    // Pings detect a dead connection (a pod gone without closing TCP) within ~35 s.
    'grpc.keepalive_time_ms': 30_000,
    'grpc.keepalive_timeout_ms': 5_000,
    // Reconnect quickly after an outage: the page recovers within ~2 s of a replica coming back
    // (grpc-js' default backoff grows to 120 s).
    'grpc.initial_reconnect_backoff_ms': 250,
    'grpc.max_reconnect_backoff_ms': 2_000,
    // Re-resolve dns:/// targets soon after a replica fails, so replaced pods are found quickly.
    'grpc.dns_min_time_between_resolutions_ms': 2_000,
  };
}

/** Without hedging: every call to a read-only method retried on UNAVAILABLE, throttled. */
export const CHANNEL_OPTIONS: ChannelOptions = recommendationsChannelOptions();
