import type { Logger } from 'pino';

/** What the marketplace waits for before it calls itself ready. */
export interface StartupReadiness {
  /** Connected to Recommendations, or gave up waiting: ready to serve pages. */
  readonly isStarted: () => boolean;
  /** Resolves when `isStarted()` turns true. */
  readonly started: Promise<void>;
}

/**
 * Ready once the channels to Recommendations are connected, or after `timeoutMs`. A process that
 * called itself ready at once got pages before its first connection worked: they went out
 * degraded (issue 25: `make e2e`'s mutual-TLS stack served a first homepage with 0 books after
 * its containers turned healthy). Past the timeout it is ready anyway, degraded, so a
 * Recommendations outage never keeps every marketplace out of its Service; that is logged once.
 * A `timeoutMs` of 0 does not wait.
 */
export function awaitRecommendations(options: {
  waitForReady(deadline: Date): Promise<boolean>;
  timeoutMs: number;
  logger: Pick<Logger, 'info' | 'warn'>;
}): StartupReadiness {
  const { timeoutMs, logger } = options;
  let started = timeoutMs === 0;
  const begun = Date.now();
  const waited = started ? Promise.resolve(true) : options.waitForReady(new Date(begun + timeoutMs));
  const done = waited.then((connected) => {
    if (!started && connected) logger.info({ ms: Date.now() - begun }, 'connected to Recommendations: ready');
    if (!connected)
      logger.warn(
        { recommendationsStartupTimeoutMs: timeoutMs },
        'Recommendations not connected within RECOMMENDATIONS_STARTUP_TIMEOUT_MS: ready anyway, pages degraded until it is',
      );
    started = true;
  });
  return { isStarted: () => started, started: done };
}
