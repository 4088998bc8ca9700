import { ReaderEventKind, type RecordEventsRequest, type RecordEventsResponse } from '@bookstore/contracts';
import { type ClientDuplexStream, type StatusObject, status as Status } from '@grpc/grpc-js';
import type { Logger } from 'pino';
import type { Outbox, OutboxEvent } from './outbox';
import type { ReaderEventsMetrics } from './reader-events-metrics';

/** The contract's largest batch. */
export const MAX_BATCH = 500;

export interface SenderTuning {
  /** Batches written and not yet answered, at most (more would only queue in HTTP/2 buffers). */
  readonly maxInFlightBatches: number;
  /** First reconnect delay after a failure; doubles each time, with jitter, up to `maxBackoffMs`. */
  readonly initialBackoffMs: number;
  readonly maxBackoffMs: number;
}

export const DEFAULT_TUNING: SenderTuning = { maxInFlightBatches: 4, initialBackoffMs: 100, maxBackoffMs: 5_000 };

export interface RecordEventsSender {
  /** Something was enqueued: send it soon (on the next turn of the event loop, batched). */
  wake(): void;
  /** Ends the stream and stops reconnecting; what is left stays in the outbox. */
  stop(): void;
}

/**
 * Feeds the outbox to one long-lived RecordEvents stream. Batches of up to 500 events go out
 * while fewer than `maxInFlightBatches` are unanswered and the stream's buffer has room
 * (`write()` false waits for `drain`). Responses come one per batch, in order: the events each
 * names (stored or rejected) leave the outbox. When the stream fails or ends, everything in
 * flight becomes unsent again and the stream is reopened after a backoff (reset by the first
 * answer on a new stream); the server stores an event id once, so a resend is harmless.
 */
export function createRecordEventsSender(options: {
  outbox: Outbox;
  openStream: () => ClientDuplexStream<RecordEventsRequest, RecordEventsResponse>;
  logger: Pick<Logger, 'warn' | 'debug'>;
  metrics: ReaderEventsMetrics;
  tuning?: SenderTuning;
  random?: () => number;
}): RecordEventsSender {
  const { outbox, metrics, logger } = options;
  const tuning = options.tuning ?? DEFAULT_TUNING;
  const random = options.random ?? Math.random;
  let stream: ClientDuplexStream<RecordEventsRequest, RecordEventsResponse> | undefined;
  let inFlight: string[][] = [];
  let writable = true;
  let stopped = false;
  let scheduled = false;
  let reconnectTimer: NodeJS.Timeout | undefined;
  let backoffMs = tuning.initialBackoffMs;
  let failures = 0;

  function open() {
    const current = options.openStream();
    stream = current;
    writable = true;
    current.on('data', (response: RecordEventsResponse) => {
      if (stream === current) answered(response);
    });
    current.on('drain', () => {
      if (stream !== current) return;
      writable = true;
      pump();
    });
    // 'status' comes once, however the call ended; 'error' only needs a listener so it is not thrown.
    current.on('error', () => undefined);
    current.on('status', (status: StatusObject) => {
      if (stream === current) broken(status);
    });
  }

  function answered(response: RecordEventsResponse) {
    const batch = inFlight.shift();
    backoffMs = tuning.initialBackoffMs;
    failures = 0;
    const named = new Set([...response.storedEventIds, ...response.rejected.map((r) => r.eventId)]);
    const acknowledged = batch?.filter((id) => named.has(id)) ?? [];
    outbox.acknowledge(acknowledged);
    metrics.acknowledged.inc(response.storedEventIds.length);
    metrics.rejected.inc(response.rejected.length);
    for (const rejection of response.rejected) logger.debug({ rejection }, 'reader event rejected');
    // A contract breach, not a reason to lose events: they go again after the next reconnect.
    if (batch !== undefined && acknowledged.length < batch.length) {
      logger.warn({ missing: batch.length - acknowledged.length }, 'RecordEvents answer left events unnamed');
    }
    pump();
  }

  function broken(status: StatusObject) {
    const lost = inFlight.length;
    stream = undefined;
    inFlight = [];
    outbox.resendAll();
    if (stopped) return;
    const fields = { grpcCode: Status[status.code], details: status.details };
    // Nothing was waiting: the server recycled an idle stream (its maximum connection age). Not a
    // failure; the next event opens a new stream.
    if (lost === 0 && outbox.unsentCount === 0) {
      logger.debug(fields, 'idle RecordEvents stream ended');
      return;
    }
    failures += 1;
    // One warning per outage; the retries behind it are debug.
    if (failures === 1) logger.warn({ ...fields, failures }, 'RecordEvents stream ended; reconnecting with backoff');
    else logger.debug({ ...fields, failures }, 'RecordEvents stream ended again');
    const delay = backoffMs * (0.8 + 0.4 * random());
    backoffMs = Math.min(backoffMs * 2, tuning.maxBackoffMs);
    reconnectTimer = setTimeout(() => {
      reconnectTimer = undefined;
      pump();
    }, delay);
    reconnectTimer.unref();
  }

  function pump() {
    if (stopped || reconnectTimer !== undefined || outbox.unsentCount === 0) return;
    if (stream === undefined) {
      // grpc-js throws only when the channel is closed: a shutdown order bug, not worth a crash.
      try {
        open();
      } catch (error) {
        logger.warn({ err: error }, 'could not open a RecordEvents stream');
        return;
      }
    }
    const current = stream as ClientDuplexStream<RecordEventsRequest, RecordEventsResponse>;
    while (writable && inFlight.length < tuning.maxInFlightBatches && outbox.unsentCount > 0) {
      const batch = outbox.takeUnsent(MAX_BATCH);
      inFlight.push(batch.map((e) => e.eventId));
      metrics.sent.inc(batch.length);
      writable = current.write({ events: batch.map(toReaderEvent) });
    }
  }

  return {
    wake() {
      if (scheduled) return;
      scheduled = true;
      setImmediate(() => {
        scheduled = false;
        pump();
      });
    },
    stop() {
      stopped = true;
      if (reconnectTimer !== undefined) clearTimeout(reconnectTimer);
      stream?.cancel();
      stream = undefined;
      inFlight = [];
      outbox.resendAll();
    },
  };
}

function toReaderEvent(event: OutboxEvent) {
  return { ...event, kind: ReaderEventKind.READER_EVENT_KIND_VIEWED };
}
