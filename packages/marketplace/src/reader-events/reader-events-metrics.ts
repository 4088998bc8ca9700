import { Counter, Gauge, Registry } from 'prom-client';

/** What the reader-events pipeline counts; see docs/operations.md ("Reader events"). */
export interface ReaderEventsMetrics {
  readonly registry: Registry;
  /** Events in the outbox now, in flight or not (set by a collect callback). */
  readonly queued: Gauge;
  /** Events dropped because the outbox was full (the oldest first). */
  readonly dropped: Counter;
  /** Events written to the stream; a resend after a reconnect counts again. */
  readonly sent: Counter;
  /** Events the server acknowledged as stored. */
  readonly acknowledged: Counter;
  /** Events the server refused for good (unknown book, ...); they leave the outbox too. */
  readonly rejected: Counter;
}

/** Registers the metrics in `registry` (main: the one `/metrics` serves; tests: a fresh one). */
export function createReaderEventsMetrics(
  registry: Registry = new Registry(),
  queuedNow: () => number = () => 0,
): ReaderEventsMetrics {
  const counter = (name: string, help: string) => new Counter({ name, help, registers: [registry] });
  return {
    registry,
    queued: new Gauge({
      name: 'marketplace_reader_events_queued',
      help: 'Reader events in the outbox, waiting to be sent or acknowledged.',
      registers: [registry],
      collect() {
        this.set(queuedNow());
      },
    }),
    dropped: counter(
      'marketplace_reader_events_dropped_total',
      'Reader events dropped, oldest first, because the outbox was full (READER_EVENTS_OUTBOX_SIZE).',
    ),
    sent: counter('marketplace_reader_events_sent_total', 'Reader events written to RecordEvents, resends included.'),
    acknowledged: counter(
      'marketplace_reader_events_acknowledged_total',
      'Reader events Recommendations acknowledged as stored.',
    ),
    rejected: counter(
      'marketplace_reader_events_rejected_total',
      'Reader events Recommendations rejected for good (they leave the outbox).',
    ),
  };
}
