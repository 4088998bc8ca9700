import type { AppendResult, CoView, EventStore, RecentView, StoredEvent } from '../../src/store/event-store';

/** How the test store behaves: normally, failing every call, or never answering. */
export type StoreMode = 'ok' | 'fail' | 'hang';

export interface MemoryStore extends EventStore {
  mode: StoreMode;
  /** Every event appended, in order (resends not repeated). */
  readonly log: StoredEvent[];
  /** Calls of append so far. */
  appendCalls: number;
  /** While set, append waits for it before doing anything (a slow store under the test's control). */
  appendGate: Promise<void> | undefined;
}

/**
 * A minimal EventStore for the server's tests, applying each event at once (no consumer): a
 * reader's views, newest first, and per-book co-view counts, each reader counted once per pair.
 * The real embedded and Valkey stores have their own tests (test/store/).
 */
export function createMemoryStore(): MemoryStore {
  const ids = new Set<string>();
  const views = new Map<number, RecentView[]>();
  const pairs = new Set<string>();
  const coViews = new Map<number, Map<number, number>>();
  const never = new Promise<never>(() => undefined);

  function count(a: number, b: number) {
    const counts = coViews.get(a) ?? new Map<number, number>();
    counts.set(b, (counts.get(b) ?? 0) + 1);
    coViews.set(a, counts);
  }

  function apply(event: StoredEvent) {
    const history = (views.get(event.userId) ?? []).filter((view) => view.bookId !== event.bookId);
    for (const other of history) {
      const key = `${event.userId}:${Math.min(other.bookId, event.bookId)}:${Math.max(other.bookId, event.bookId)}`;
      if (pairs.has(key)) continue;
      pairs.add(key);
      count(other.bookId, event.bookId);
      count(event.bookId, other.bookId);
    }
    history.unshift({ bookId: event.bookId, viewedAtMs: event.occurredAtMs });
    views.set(event.userId, history.slice(0, 50));
  }

  function guard<T>(answer: () => T): Promise<T> {
    if (store.mode === 'fail') return Promise.reject(new Error('store down (test)'));
    if (store.mode === 'hang') return never;
    return Promise.resolve(answer());
  }

  const store: MemoryStore = {
    mode: 'ok',
    log: [],
    appendCalls: 0,
    appendGate: undefined,
    async append(events) {
      store.appendCalls += 1;
      await store.appendGate;
      return guard((): AppendResult => {
        const appended: string[] = [];
        const duplicates: string[] = [];
        for (const event of events) {
          if (ids.has(event.eventId)) {
            duplicates.push(event.eventId);
            continue;
          }
          ids.add(event.eventId);
          appended.push(event.eventId);
          store.log.push(event);
          apply(event);
        }
        return { appended, duplicates };
      });
    },
    recentViews: (userId, limit) => guard(() => (views.get(userId) ?? []).slice(0, limit)),
    coViewed: (bookId, limit) =>
      guard((): CoView[] =>
        [...(coViews.get(bookId) ?? new Map<number, number>())]
          .map(([id, n]) => ({ bookId: id, count: n }))
          .sort((a, b) => b.count - a.count || a.bookId - b.bookId)
          .slice(0, limit),
      ),
    readerHistory: (userId, maxViews, coViewsPerBook) =>
      guard(() => {
        const recent = (views.get(userId) ?? []).slice(0, maxViews);
        const lists = recent.map(({ bookId }) =>
          [...(coViews.get(bookId) ?? new Map<number, number>())]
            .map(([id, n]) => ({ bookId: id, count: n }))
            .sort((a, b) => b.count - a.count || a.bookId - b.bookId)
            .slice(0, coViewsPerBook),
        );
        return { views: recent, coViews: lists };
      }),
    startConsumer: () => undefined,
    close: () => Promise.resolve(),
  };
  return store;
}
