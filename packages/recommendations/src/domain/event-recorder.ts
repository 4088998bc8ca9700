import type { EventStore } from '../store/event-store';
import type { Catalog } from './catalog';
import { UnavailableError } from './errors';
import { checkBatch, type IncomingEvent, type Rejection } from './reader-events';

/** The answer to one batch: what is durable now, and what never will be. */
export interface RecordedBatch {
  /** Every valid event's id, in the order sent: newly appended or already in the log. */
  readonly storedEventIds: string[];
  readonly rejected: Rejection[];
}

/** How many events of a batch went where (for the metrics). */
export interface RecordCounts {
  readonly appended: number;
  readonly duplicates: number;
  readonly rejected: number;
}

export interface EventRecorder {
  /**
   * Checks a batch and appends its valid events to the log, resolving once they are durable.
   * Throws UnavailableError when the store fails: then nothing of the batch is acknowledged,
   * and the sender resends it (the log stores each id once, so that is harmless).
   */
  record(events: readonly IncomingEvent[]): Promise<RecordedBatch>;
}

export const STORE_UNAVAILABLE_MESSAGE =
  'the event store is unavailable: nothing of this batch is acknowledged; resend it';

export function createEventRecorder(options: {
  catalog: Catalog;
  store: EventStore;
  /** The server's clock (tests pin it). */
  now?: () => number;
  onRecorded?: (counts: RecordCounts) => void;
  /** Told each store failure (logged by the caller, at most once a minute). */
  onStoreFailure?: (error: unknown) => void;
}): EventRecorder {
  const { catalog, store } = options;
  const now = options.now ?? Date.now;
  return {
    async record(events) {
      const { valid, rejected } = checkBatch(events, catalog, now());
      let appended = 0;
      let duplicates = 0;
      if (valid.length > 0) {
        try {
          const result = await store.append(valid);
          appended = result.appended.length;
          duplicates = result.duplicates.length;
        } catch (error) {
          options.onStoreFailure?.(error);
          throw new UnavailableError(STORE_UNAVAILABLE_MESSAGE);
        }
      }
      // An empty batch's one rejection names the batch, not an event: no event is counted.
      options.onRecorded?.({ appended, duplicates, rejected: events.length === 0 ? 0 : rejected.length });
      return { storedEventIds: valid.map((event) => event.eventId), rejected };
    },
  };
}
