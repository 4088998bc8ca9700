import type { EventStore, StoredEvent } from '../store/event-store';
import type { Catalog } from './catalog';
import { UnavailableError } from './errors';
import { checkBatch, type IncomingEvent } from './reader-events';
import { STORE_UNAVAILABLE_MESSAGE } from './event-recorder';

export interface ImportRejection {
  /** Position in the import stream, from 0. */
  readonly index: number;
  readonly eventId: string;
  readonly reason: string;
}

/** Rejections an import answers in full; the rest are only counted (`rejectedCount`). */
export const MAX_LISTED_REJECTIONS = 100;
/** Events appended to the log at once: one store round trip per this many. */
export const IMPORT_BATCH = 500;

export interface ImportSummary {
  readonly accepted: number;
  readonly duplicates: number;
  readonly rejected: ImportRejection[];
  readonly rejectedCount: number;
}

export interface EventImport {
  /** Checks one event; appends a batch to the log when one is full (await it: that is the back-pressure). */
  add(event: IncomingEvent): Promise<void>;
  /** Appends what is left and answers the totals. */
  finish(): Promise<ImportSummary>;
}

/**
 * One ImportEvents call: events are checked exactly as RecordEvents checks them and appended to
 * the same log in batches of IMPORT_BATCH, so the read models see them like live ones. Memory is
 * one batch plus the first MAX_LISTED_REJECTIONS rejections, whatever the import's length.
 * A store failure throws UnavailableError: what was appended before stays (ids are stored once,
 * so the operator re-runs the whole import safely).
 */
export function createEventImport(options: {
  catalog: Catalog;
  store: EventStore;
  now?: () => number;
  /** Told the counts once the import finished or failed (the metrics): a failed import counts what it stored. */
  onImported?: (counts: { appended: number; duplicates: number; rejected: number }) => void;
  /** Told a store failure, which ends the import (logged by the caller, at most once a minute). */
  onStoreFailure?: (error: unknown) => void;
}): EventImport {
  const { catalog, store } = options;
  const now = options.now ?? Date.now;
  let index = 0;
  let accepted = 0;
  let duplicates = 0;
  let rejectedCount = 0;
  const rejected: ImportRejection[] = [];
  let batch: StoredEvent[] = [];

  async function flush(): Promise<void> {
    if (batch.length === 0) return;
    const events = batch;
    batch = [];
    try {
      const result = await store.append(events);
      accepted += result.appended.length;
      duplicates += result.duplicates.length;
    } catch (error) {
      options.onStoreFailure?.(error);
      options.onImported?.({ appended: accepted, duplicates, rejected: rejectedCount });
      throw new UnavailableError(STORE_UNAVAILABLE_MESSAGE);
    }
  }

  return {
    async add(event) {
      const position = index;
      index += 1;
      const { valid, rejected: refused } = checkBatch([event], catalog, now());
      const refusal = refused[0];
      if (refusal !== undefined) {
        rejectedCount += 1;
        if (rejected.length < MAX_LISTED_REJECTIONS) rejected.push({ index: position, ...refusal });
        return;
      }
      batch.push(...valid);
      if (batch.length >= IMPORT_BATCH) await flush();
    },
    async finish() {
      await flush();
      options.onImported?.({ appended: accepted, duplicates, rejected: rejectedCount });
      return { accepted, duplicates, rejected, rejectedCount };
    },
  };
}
