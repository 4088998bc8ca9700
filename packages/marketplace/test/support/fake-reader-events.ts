import {
  type Book,
  type BookRecommendation,
  ReaderEventKind,
  type ReaderEvent,
  type RecommendationServiceServer,
  type RecordEventsRequest,
} from '@bookstore/contracts';
import { status as Status } from '@grpc/grpc-js';
import { statusError } from './fake-recommendations';

/** What the fake does with a RecordEvents batch: store and answer it, never answer, or fail the stream. */
export type BatchAction = 'answer' | 'hold' | Status;

/**
 * The fake's reader events: stored once per id, like the contract says, with the simplest
 * co-view rule over them (two books are co-viewed when one reader viewed both), so the
 * Marketplace's tests see personal picks without Recommendations' real read models.
 */
export interface FakeEventLog {
  /** Stored events, in the order stored, each id once. */
  readonly stored: ReaderEvent[];
  /** Every batch received, resends and failed ones included. */
  readonly batches: ReaderEvent[][];
  /** Decides each batch's fate (`n` counts batches from 0); answers them all by default. */
  onBatch: (batch: ReaderEvent[], n: number) => BatchAction;
  /** Resolves once `count` events are stored; rejects after `timeoutMs` (default 10 s). */
  waitForStored(count: number, timeoutMs?: number): Promise<void>;
}

function rejection(event: ReaderEvent, books: ReadonlyMap<number, Book>): string | undefined {
  if (event.eventId === '' || Buffer.byteLength(event.eventId) > 64) return 'event_id must be 1 to 64 bytes';
  if (event.userId < 1) return `user_id must be >= 1 (got ${event.userId})`;
  if (!books.has(event.bookId)) return `unknown book ${event.bookId}`;
  if (event.kind !== ReaderEventKind.READER_EVENT_KIND_VIEWED) return 'kind must be VIEWED';
  return undefined;
}

/** GetBook, RecordEvents and a personal Recommend over one event log, for `books`. */
export function readerEventHandlers(books: readonly Book[]): {
  log: FakeEventLog;
  handlers: Pick<RecommendationServiceServer, 'getBook' | 'recordEvents'>;
  personalPicks(userId: number, candidates: readonly Book[], max: number): BookRecommendation[];
} {
  const byId = new Map(books.map((b) => [b.id, b]));
  const ids = new Set<string>();
  const waiters = new Set<() => void>();
  const log: FakeEventLog = {
    stored: [],
    batches: [],
    onBatch: () => 'answer',
    waitForStored: (count, timeoutMs = 10_000) =>
      new Promise((resolve, reject) => {
        const timer = setTimeout(() => {
          waiters.delete(check);
          reject(new Error(`${log.stored.length} of ${count} events stored after ${timeoutMs} ms`));
        }, timeoutMs);
        function check() {
          if (log.stored.length < count) return;
          clearTimeout(timer);
          waiters.delete(check);
          resolve();
        }
        waiters.add(check);
        check();
      }),
  };
  /** Books each reader viewed, most recent last. */
  const viewsOf = (userId: number) => log.stored.filter((e) => e.userId === userId).map((e) => e.bookId);
  /** Books co-viewed with `bookId`, most often first, then by id. */
  const coViewed = (bookId: number) => {
    const counts = new Map<number, number>();
    const readers = new Set(log.stored.filter((e) => e.bookId === bookId).map((e) => e.userId));
    for (const reader of readers) {
      for (const other of new Set(viewsOf(reader))) {
        if (other !== bookId) counts.set(other, (counts.get(other) ?? 0) + 1);
      }
    }
    return [...counts].sort((a, b) => b[1] - a[1] || a[0] - b[0]).map(([id]) => id);
  };

  return {
    log,
    personalPicks(userId, candidates, max) {
      const viewed = [...new Set(viewsOf(userId))].reverse();
      const allowed = new Set(candidates.map((b) => b.id));
      const picks: BookRecommendation[] = [];
      const taken = new Set<number>(viewed);
      for (const because of viewed) {
        for (const id of coViewed(because)) {
          if (picks.length >= max || taken.has(id) || !allowed.has(id)) continue;
          taken.add(id);
          const title = byId.get(id)?.title ?? '';
          picks.push({ id, title, becauseOfBookId: because, becauseOfTitle: byId.get(because)?.title ?? '' });
        }
      }
      for (const book of candidates) {
        if (picks.length >= max || taken.has(book.id)) continue;
        taken.add(book.id);
        picks.push({ id: book.id, title: book.title, becauseOfBookId: 0, becauseOfTitle: '' });
      }
      return picks;
    },
    handlers: {
      getBook: (call, callback) => {
        const { bookId } = call.request;
        if (bookId < 1) return callback(statusError(Status.INVALID_ARGUMENT, `book_id must be >= 1 (got ${bookId})`));
        const book = byId.get(bookId);
        if (book === undefined) return callback(statusError(Status.NOT_FOUND, `no book ${bookId}`));
        const alsoViewed = coViewed(bookId)
          .slice(0, 4)
          .map((id) => ({ id, title: byId.get(id)?.title ?? '', becauseOfBookId: 0, becauseOfTitle: '' }));
        callback(null, { book, alsoViewed });
      },
      recordEvents: (call) => {
        call.on('data', (request: RecordEventsRequest) => {
          const batch = request.events;
          const action = log.onBatch(batch, log.batches.length);
          log.batches.push(batch);
          if (action === 'hold') return;
          if (action !== 'answer') {
            call.emit('error', statusError(action));
            return;
          }
          const storedEventIds: string[] = [];
          const rejected: { eventId: string; reason: string }[] = [];
          for (const event of batch) {
            const reason = batch.length > 500 ? 'a batch holds 1 to 500 events' : rejection(event, byId);
            if (reason !== undefined) {
              rejected.push({ eventId: event.eventId, reason });
              continue;
            }
            if (!ids.has(event.eventId)) log.stored.push(event);
            ids.add(event.eventId);
            storedEventIds.push(event.eventId);
          }
          call.write({ storedEventIds, rejected });
          for (const waiter of waiters) waiter();
        });
        call.on('end', () => call.end());
      },
    },
  };
}
