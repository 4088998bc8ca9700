import type { RecordEventsRequest, RecordEventsResponse } from '@bookstore/contracts';
import type { ClientDuplexStream } from '@grpc/grpc-js';
import { randomUUID } from 'node:crypto';
import type { Logger } from 'pino';
import type { Registry } from 'prom-client';
import { createThrottledLog } from '../observability/throttled-log';
import { createOutbox } from './outbox';
import { createReaderEventsMetrics, type ReaderEventsMetrics } from './reader-events-metrics';
import { createRecordEventsSender, type SenderTuning } from './record-events-sender';

/** How often a dropped event may be logged: a full outbox must not flood the log too. */
export const DROP_LOG_INTERVAL_MS = 60_000;
/** How often `flush` looks at the outbox while it waits. */
const FLUSH_POLL_MS = 20;

export interface ReaderEvents {
  /** Records that `userId` viewed `bookId`, now. Synchronous: a page never waits for it. */
  viewed(userId: number, bookId: number): void;
  /** Waits until every event is acknowledged or `timeoutMs` passes; resolves to how many are left. */
  flush(timeoutMs: number): Promise<number>;
  /** Stops sending (the stream is cancelled); call after `flush`. */
  close(): void;
  readonly metrics: ReaderEventsMetrics;
}

/**
 * The reader-events pipeline of one process: the outbox, its sender on one RecordEvents stream,
 * and their metrics. See README.md in this folder.
 */
export function createReaderEvents(options: {
  /** READER_EVENTS_OUTBOX_SIZE. */
  capacity: number;
  openStream: () => ClientDuplexStream<RecordEventsRequest, RecordEventsResponse>;
  logger: Pick<Logger, 'warn' | 'debug' | 'info'>;
  /** Where the metrics go (main: the `/metrics` registry); a registry of their own without. */
  registry?: Registry;
  tuning?: SenderTuning;
  now?: () => number;
}): ReaderEvents {
  const now = options.now ?? Date.now;
  const logDrop = createThrottledLog({
    intervalMs: DROP_LOG_INTERVAL_MS,
    now,
    write: (dropped) =>
      options.logger.warn(
        { dropped, capacity: options.capacity },
        'reader events outbox full: dropped the oldest events (Recommendations is not acknowledging)',
      ),
  });
  // The gauge reads the outbox when scraped (never before it exists); the outbox counts drops in it.
  const metrics = createReaderEventsMetrics(options.registry, () => outbox.size);
  const outbox = createOutbox({
    capacity: options.capacity,
    onDrop: () => {
      metrics.dropped.inc();
      logDrop();
    },
  });
  const sender = createRecordEventsSender({
    outbox,
    openStream: options.openStream,
    logger: options.logger,
    metrics,
    tuning: options.tuning,
  });

  return {
    metrics,
    viewed(userId, bookId) {
      outbox.enqueue({ eventId: randomUUID(), userId, bookId, occurredAt: new Date(now()) });
      sender.wake();
    },
    flush: (timeoutMs) =>
      new Promise((resolve) => {
        const deadline = Date.now() + timeoutMs;
        const check = () => {
          if (outbox.size === 0 || Date.now() >= deadline) resolve(outbox.size);
          else setTimeout(check, FLUSH_POLL_MS);
        };
        check();
      }),
    close: () => sender.stop(),
  };
}
