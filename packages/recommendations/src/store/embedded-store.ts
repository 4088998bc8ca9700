import type * as Store from './event-store';
import { DEFAULT_READ_MODEL_LIMITS } from './event-store';
import { highestFirst, keepHighest } from './read-model-order';
import { checkLimits, clampLimit, DEFAULT_DEDUPE_TTL_MS, VIEWED } from './store-bounds';
import { EventStoreError } from './store-errors';

export interface EmbeddedStoreOptions {
  readonly limits?: Store.ReadModelLimits;
  /** The clock for the dedupe window and the histories' time to live (tests fake it). */
  readonly now?: () => number;
  /** How long an id is remembered for dedupe (store-bounds.ts says why an hour). */
  readonly dedupeTtlMs?: number;
  /**
   * Ids remembered at most, the oldest forgotten first. 100,000 ids take ~11 MB of heap (a
   * 36-character UUID string and a Map entry each, measured on Node 24): every resend of the last
   * 100,000 events is caught, which in one process (`make run`, tests) is hours of traffic.
   */
  readonly maxDedupeIds?: number;
  /**
   * Events appended but not yet applied. The consumer applies them on the next turns of the
   * event loop, so the backlog stays near one batch; it grows only without a consumer. Past
   * 100,000 (~15 MB, measured) `append` rejects, as the Valkey store does past its own backlog bound.
   */
  readonly maxBacklog?: number;
  /**
   * Readers whose history is kept, the least recently active forgotten first. A full history
   * (50 views) is ~2.8 KB, so 10,000 readers ~28 MB (measured): more readers than one process serving
   * `make run` or a test sees; a real audience uses Valkey.
   */
  readonly maxReaders?: number;
  /**
   * Books whose co-views are kept, the least recently updated forgotten first. Only catalog
   * books are logged, so this binds only for a catalog of more than 10,000 books (~19 MB when every set is full, measured).
   */
  readonly maxBooks?: number;
  /** Called once per event as it is applied to the read models (tests, metrics). */
  readonly onApplied?: (event: Store.StoredEvent) => void;
}

const closedError = () => new EventStoreError('closed', 'event store closed');

/** Events applied per turn of the event loop, so a large backlog never holds up calls. */
const APPLY_SLICE = 1000;

interface History {
  /** bookId -> viewedAtMs. */
  readonly views: Map<number, number>;
  expiresAtMs: number;
}

/**
 * The event store in this process's memory, for one replica (`make run`, most tests). Same
 * semantics as the Valkey store: `append` dedupes and logs, a consumer applies the log to the
 * read models asynchronously (reads are eventually consistent), and everything is bounded.
 * Nothing survives a restart.
 */
export function createEmbeddedStore(options: EmbeddedStoreOptions = {}): Store.EventStore {
  const limits = checkLimits(options.limits ?? DEFAULT_READ_MODEL_LIMITS);
  const now = options.now ?? Date.now;
  const dedupeTtlMs = options.dedupeTtlMs ?? DEFAULT_DEDUPE_TTL_MS;
  const maxDedupeIds = options.maxDedupeIds ?? 100_000;
  const maxBacklog = options.maxBacklog ?? 100_000;
  const maxReaders = options.maxReaders ?? 10_000;
  const maxBooks = options.maxBooks ?? 10_000;

  /** eventId -> when it is forgotten. Insertion order is expiry order (one TTL for all). */
  const seenIds = new Map<string, number>();
  /** The log's unapplied tail: applied entries are dropped, like the acknowledged ones Valkey trims. */
  let backlog: Store.StoredEvent[] = [];
  let backlogHead = 0;
  /** userId -> history; Map order is least recently viewed first. */
  const histories = new Map<number, History>();
  /** bookId -> (other bookId -> readers who viewed both); Map order is least recently updated first. */
  const coViews = new Map<number, Map<number, number>>();

  let consuming = false;
  let onApplied = options.onApplied;
  let closed = false;
  let scheduled: NodeJS.Immediate | undefined;

  const forgetOldIds = (at: number) => {
    for (const [id, expiresAt] of seenIds) {
      if (seenIds.size <= maxDedupeIds && expiresAt > at) break;
      seenIds.delete(id);
    }
  };

  const liveHistory = (userId: number, at: number): History | undefined => {
    const history = histories.get(userId);
    if (history !== undefined && history.expiresAtMs <= at) {
      histories.delete(userId);
      return undefined;
    }
    return history;
  };

  /** Moves `key` to the end of `map` (most recent) and forgets the oldest entries past `max`. */
  const touch = <K, V>(map: Map<K, V>, key: K, value: V, max: number) => {
    map.delete(key);
    map.set(key, value);
    for (const oldest of map.keys()) {
      if (map.size <= max) break;
      map.delete(oldest);
    }
  };

  // Each book's co-views ranked once per change, not once per read: a known reader's Recommend
  // reads 20 of them, and sorting each on every read was most of its cost (bench/personalisation.js).
  const ranked = new WeakMap<Map<number, number>, Store.CoView[]>();
  const countCoView = (bookId: number, otherId: number) => {
    const counts = coViews.get(bookId) ?? new Map<number, number>();
    counts.set(otherId, (counts.get(otherId) ?? 0) + 1);
    ranked.delete(counts);
    touch(coViews, bookId, counts, maxBooks);
    return counts;
  };

  /** The same steps as APPLY_ENTRY in redis-store.ts. */
  const apply = (event: Store.StoredEvent) => {
    if (event.kind !== VIEWED) return;
    const at = now();
    const history = liveHistory(event.userId, at) ?? { views: new Map<number, number>(), expiresAtMs: 0 };
    const previous = history.views.get(event.bookId);
    if (previous === undefined) {
      // A first view of this book by this reader: one more reader for each pair with the
      // books of their (capped) history. A re-view counts nothing, so counts are distinct readers.
      for (const otherId of history.views.keys()) {
        keepHighest(countCoView(otherId, event.bookId), limits.maxCoViews);
        countCoView(event.bookId, otherId);
      }
      const own = coViews.get(event.bookId);
      if (own !== undefined) keepHighest(own, limits.maxCoViews);
    }
    // ZADD GT: a late event never moves a book back in the history.
    history.views.set(event.bookId, Math.max(previous ?? -Infinity, event.occurredAtMs));
    keepHighest(history.views, limits.maxRecentViews);
    history.expiresAtMs = at + limits.recentViewsTtlMs;
    touch(histories, event.userId, history, maxReaders);
  };

  const drain = () => {
    scheduled = undefined;
    if (!consuming || closed) return;
    const end = Math.min(backlog.length, backlogHead + APPLY_SLICE);
    for (; backlogHead < end; backlogHead++) {
      const event = backlog[backlogHead]!;
      apply(event);
      onApplied?.(event);
    }
    if (backlogHead === backlog.length) {
      backlog = [];
      backlogHead = 0;
    } else {
      // Drop the applied head now and then, so the array does not keep them alive.
      if (backlogHead >= APPLY_SLICE * 10) {
        backlog = backlog.slice(backlogHead);
        backlogHead = 0;
      }
      schedule();
    }
  };

  const schedule = () => {
    if (scheduled === undefined && consuming && !closed && backlogHead < backlog.length)
      scheduled = setImmediate(drain);
  };

  return {
    readsInProcess: true,
    async append(events) {
      if (closed) throw closedError();
      if (backlog.length - backlogHead + events.length > maxBacklog) {
        throw new EventStoreError('backlog-full', `event store backlog full (${maxBacklog} events not yet applied)`);
      }
      const at = now();
      forgetOldIds(at);
      const appended: string[] = [];
      const duplicates: string[] = [];
      for (const event of events) {
        const expiresAt = seenIds.get(event.eventId);
        if (expiresAt !== undefined && expiresAt > at) {
          duplicates.push(event.eventId);
          continue;
        }
        seenIds.delete(event.eventId);
        seenIds.set(event.eventId, at + dedupeTtlMs);
        backlog.push({ ...event });
        appended.push(event.eventId);
      }
      forgetOldIds(at);
      schedule();
      return { appended, duplicates } satisfies Store.AppendResult;
    },

    async recentViews(userId, limit) {
      if (closed) throw closedError();
      const history = liveHistory(userId, now());
      if (history === undefined) return [];
      return highestFirst(history.views, clampLimit(limit, limits.maxRecentViews)).map(
        ([bookId, viewedAtMs]): Store.RecentView => ({ bookId, viewedAtMs }),
      );
    },

    async readerHistory(userId, maxViews, coViewsPerBook) {
      const views = await this.recentViews(userId, maxViews);
      const coViews = await Promise.all(views.map((view) => this.coViewed(view.bookId, coViewsPerBook)));
      return { views, coViews };
    },

    async coViewed(bookId, limit) {
      if (closed) throw closedError();
      const counts = coViews.get(bookId);
      if (counts === undefined) return [];
      let order = ranked.get(counts);
      if (order === undefined) {
        order = highestFirst(counts, counts.size).map(([other, count]): Store.CoView => ({ bookId: other, count }));
        ranked.set(counts, order);
      }
      return order.slice(0, clampLimit(limit, limits.maxCoViews));
    },

    startConsumer(whenApplied) {
      if (closed || consuming) return;
      consuming = true;
      onApplied = whenApplied ?? options.onApplied;
      schedule();
    },

    async close() {
      closed = true;
      consuming = false;
      if (scheduled !== undefined) clearImmediate(scheduled);
      scheduled = undefined;
    },
  };
}
