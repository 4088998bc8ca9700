import type { Logger } from 'pino';
import type { ServerMetrics } from './server-metrics';

/** At most one log line per operation per this interval: a store that is down fails every call. */
export const STORE_FAILURE_LOG_INTERVAL_MS = 60_000;

/**
 * What happens when the event store fails a call: degraded answers (Recommend, GetBook) are
 * counted in `recommendations_degraded_total`; every failure is logged at warn, at most once a
 * minute per operation, with how many were not logged since the last line.
 */
export function createStoreFailureReporter(options: {
  logger: Logger;
  metrics: Pick<ServerMetrics, 'countDegraded'>;
  intervalMs?: number;
  now?: () => number;
}) {
  const { logger, metrics } = options;
  const intervalMs = options.intervalMs ?? STORE_FAILURE_LOG_INTERVAL_MS;
  const now = options.now ?? Date.now;
  const state = new Map<string, { loggedAt: number; unlogged: number }>();

  return {
    /** The callback for one operation; `degraded` when the caller answers without the store. */
    forOperation(operation: string, { degraded }: { degraded: boolean }) {
      return (error: unknown) => {
        if (degraded) metrics.countDegraded(operation);
        const seen = state.get(operation);
        if (seen !== undefined && now() - seen.loggedAt < intervalMs) {
          seen.unlogged += 1;
          return;
        }
        state.set(operation, { loggedAt: now(), unlogged: 0 });
        logger.warn(
          { err: error, operation, degraded, unloggedSinceLastLine: seen?.unlogged ?? 0 },
          degraded ? 'event store failed or slow: answering without it' : 'event store failed',
        );
      };
    },
  };
}
