import { RECOMMENDATION_SERVICE_NAME } from '@bookstore/contracts';
import type { ChannelOptions } from '@grpc/grpc-js';

/**
 * Spread calls over every address the target resolves to, and retry only what is safe to retry
 * (UNAVAILABLE: the call never reached a handler). See docs/operations.md for each value.
 */
const SERVICE_CONFIG = {
  loadBalancingConfig: [{ round_robin: {} }],
  methodConfig: [
    {
      name: [{ service: RECOMMENDATION_SERVICE_NAME }],
      retryPolicy: {
        maxAttempts: 3,
        initialBackoff: '0.01s',
        maxBackoff: '0.1s',
        backoffMultiplier: 2,
        retryableStatusCodes: ['UNAVAILABLE'],
      },
    },
    // The one stream of reader events lives for hours: a retry policy would make grpc-js buffer
    // every message written to it (to replay on a new attempt) until the call commits. The
    // reader-events sender reconnects and resends from its own bounded outbox instead. A name with
    // a method outranks the service-wide entry above, whatever the order.
    { name: [{ service: RECOMMENDATION_SERVICE_NAME, method: 'RecordEvents' }] },
  ],
  retryThrottling: { maxTokens: 10, tokenRatio: 0.1 },
};

export const CHANNEL_OPTIONS: ChannelOptions = {
  'grpc.service_config': JSON.stringify(SERVICE_CONFIG),
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
