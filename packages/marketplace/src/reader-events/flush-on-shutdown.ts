import type { Logger } from 'pino';
import type { ReaderEvents } from './reader-events';

/** Of the grace period, what closing the metrics server, tracing and the channel may take. */
export const FLUSH_MARGIN_MS = 500;

/**
 * The reader events' part of a shutdown, once the HTTP server has closed (so no page records a
 * view after it): the outbox gets what is left of the grace period, less FLUSH_MARGIN_MS, to be
 * acknowledged; then the stream is closed and what was left (lost with the process) is logged.
 * Resolves to that count.
 */
export async function flushOnShutdown(options: {
  readerEvents: Pick<ReaderEvents, 'flush' | 'close'>;
  logger: Pick<Logger, 'info' | 'warn'>;
  /** When the grace period ends (ms since the epoch). */
  deadline: number;
}): Promise<number> {
  const { readerEvents, logger } = options;
  const left = await readerEvents.flush(Math.max(0, options.deadline - Date.now() - FLUSH_MARGIN_MS));
  readerEvents.close();
  if (left > 0) logger.warn({ left }, 'reader events not acknowledged within the grace period: lost');
  else logger.info('reader events flushed');
  return left;
}
