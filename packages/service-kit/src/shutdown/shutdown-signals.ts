import type { Logger } from 'pino';

/**
 * SIGTERM and SIGINT start one graceful shutdown: the first signal logs and calls `stop`; a
 * second is logged and ignored (Kubernetes and compose may send more than one); when `stop`
 * settles, or `forceAfterMs` passes first, the logs are flushed and `exit` is called (0 when
 * stopped cleanly, 1 when `stop` failed). Returns a function that removes the signal handlers.
 */
export function handleShutdownSignals(options: {
  logger: Logger;
  /** Logged with the signal when shutdown starts: what the service is doing now. */
  message: string;
  stop(): Promise<void>;
  /** Exit even if `stop` has not finished by then. */
  forceAfterMs?: number;
  /** Ends the process, after the logs are flushed; `process.exit` unless a test passes its own. */
  exit?: (code: number) => void;
}): () => void {
  const { logger } = options;
  const exitProcess = options.exit ?? ((code: number) => process.exit(code));
  let stopping = false;
  const exit = (code: number) => logger.flush(() => exitProcess(code));

  const shutdown = (signal: NodeJS.Signals) => {
    if (stopping) {
      logger.warn({ signal }, 'already shutting down');
      return;
    }
    stopping = true;
    logger.info({ signal }, options.message);
    if (options.forceAfterMs !== undefined) {
      setTimeout(() => {
        logger.warn('grace period over; exiting with requests still open');
        exit(0);
      }, options.forceAfterMs).unref();
    }
    options.stop().then(
      () => {
        logger.info('stopped');
        exit(0);
      },
      (error: unknown) => {
        logger.error({ err: error }, 'shutdown failed');
        exit(1);
      },
    );
  };
  process.on('SIGTERM', shutdown);
  process.on('SIGINT', shutdown);
  return () => {
    process.off('SIGTERM', shutdown);
    process.off('SIGINT', shutdown);
  };
}
