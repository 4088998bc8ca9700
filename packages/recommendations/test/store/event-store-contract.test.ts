import { type RedisServer, startRedis } from '@bookstore/test-support';
import { createEmbeddedStore } from '../../src/store/embedded-store';
import {
  DEFAULT_READ_MODEL_LIMITS,
  type EventStore,
  type ReadModelLimits,
  type StoredEvent,
} from '../../src/store/event-store';
import { createRedisStore } from '../../src/store/redis-store';
import { eventually, view } from './support';

interface StoreOptions {
  readonly limits?: ReadModelLimits;
  /** Start the consumer at once (true unless said otherwise). */
  readonly start?: boolean;
}

/** A store under test, and every event its consumer applied, in order. */
interface TestStore {
  readonly store: EventStore;
  readonly applied: StoredEvent[];
}

interface Implementation {
  readonly name: string;
  setUp(): Promise<void>;
  tearDown(): Promise<void>;
  make(options: StoreOptions, onApplied: (event: StoredEvent) => void): EventStore;
}

let redis: RedisServer | undefined;
let namespaces = 0;

const implementations: Implementation[] = [
  {
    name: 'embedded',
    setUp: async () => undefined,
    tearDown: async () => undefined,
    make: (options, onApplied) => createEmbeddedStore({ limits: options.limits, onApplied }),
  },
  {
    name: 'redis',
    setUp: async () => {
      redis = await startRedis();
    },
    tearDown: async () => {
      await redis?.stop();
    },
    make: (options, onApplied) => {
      // One key namespace per store: the tests share one server and never see each other's keys.
      namespaces++;
      return createRedisStore({
        url: redis!.url,
        namespace: `contract-${namespaces}`,
        consumerName: `consumer-${namespaces}`,
        limits: options.limits,
        onApplied,
      });
    },
  },
];

describe.each(implementations)('the $name event store', (implementation) => {
  const open: EventStore[] = [];
  const makeStore = (options: StoreOptions = {}): TestStore => {
    const applied: StoredEvent[] = [];
    const store = implementation.make(options, (event) => applied.push(event));
    open.push(store);
    if (options.start ?? true) store.startConsumer();
    return { store, applied };
  };
  /** Appends the events one batch after the other and waits until the consumer applied them all. */
  const appendAndApply = async ({ store, applied }: TestStore, ...batches: StoredEvent[][]) => {
    const before = applied.length;
    let appended = 0;
    for (const batch of batches) appended += (await store.append(batch)).appended.length;
    await eventually(() => expect(applied.length - before).toBe(appended));
  };

  beforeAll(() => implementation.setUp());
  afterEach(async () => {
    await Promise.all(open.splice(0).map((store) => store.close()));
  });
  afterAll(() => implementation.tearDown());

  it('appends each event id once: a resend, or the same id twice in a batch, is a duplicate', async () => {
    const { store } = makeStore();
    const [a, b, c, d] = [view(1, 1), view(1, 2), view(1, 3), view(1, 4)];
    expect(await store.append([a, b])).toEqual({ appended: [a.eventId, b.eventId], duplicates: [] });
    expect(await store.append([b, c])).toEqual({ appended: [c.eventId], duplicates: [b.eventId] });
    expect(await store.append([d, { ...d, bookId: 9 }])).toEqual({
      appended: [d.eventId],
      duplicates: [d.eventId],
    });
    expect(await store.append([])).toEqual({ appended: [], duplicates: [] });
  });

  it('applies each appended event once: a duplicate is not applied again', async () => {
    const test = makeStore();
    const event = view(1, 1);
    await appendAndApply(test, [event], [event], [event, view(1, 2)]);
    expect(test.applied.map((applied) => applied.eventId)).toEqual([event.eventId, expect.any(String)]);
    expect(test.applied[0]).toEqual(event);
  });

  it("answers a reader's recent views newest first, at most `limit`, once applied", async () => {
    const test = makeStore();
    await appendAndApply(test, [view(7, 1, 1000), view(7, 2, 2000)], [view(7, 3, 3000)]);
    expect(await test.store.recentViews(7, 10)).toEqual([
      { bookId: 3, viewedAtMs: 3000 },
      { bookId: 2, viewedAtMs: 2000 },
      { bookId: 1, viewedAtMs: 1000 },
    ]);
    expect(await test.store.recentViews(7, 2)).toEqual([
      { bookId: 3, viewedAtMs: 3000 },
      { bookId: 2, viewedAtMs: 2000 },
    ]);
    expect(await test.store.recentViews(7, 0)).toEqual([]);
    expect(await test.store.recentViews(8, 10)).toEqual([]);
  });

  it('applies events appended before the consumer started once it starts', async () => {
    const test = makeStore({ start: false });
    await test.store.append([view(3, 5, 5000)]);
    expect(test.applied).toEqual([]);
    test.store.startConsumer();
    test.store.startConsumer();
    await eventually(async () =>
      expect(await test.store.recentViews(3, 10)).toEqual([{ bookId: 5, viewedAtMs: 5000 }]),
    );
  });

  it('keeps the latest time of a book viewed again: a late event does not move it back', async () => {
    const test = makeStore();
    await appendAndApply(test, [view(4, 1, 2000), view(4, 2, 3000), view(4, 1, 1000)]);
    expect(await test.store.recentViews(4, 10)).toEqual([
      { bookId: 2, viewedAtMs: 3000 },
      { bookId: 1, viewedAtMs: 2000 },
    ]);
    await appendAndApply(test, [view(4, 1, 4000)]);
    expect((await test.store.recentViews(4, 10))[0]).toEqual({ bookId: 1, viewedAtMs: 4000 });
  });

  it("keeps a reader's 50 most recent views of 60", async () => {
    const test = makeStore();
    const views = Array.from({ length: 60 }, (_, index) => view(5, index + 1, 10_000 + index));
    await appendAndApply(test, views);
    const kept = await test.store.recentViews(5, 1000);
    expect(kept).toHaveLength(DEFAULT_READ_MODEL_LIMITS.maxRecentViews);
    expect(kept.map((kept) => kept.bookId)).toEqual(Array.from({ length: 50 }, (_, index) => 60 - index));
  });

  it('keeps the 50 most co-viewed books of a book viewed with 200 others', async () => {
    const test = makeStore();
    // Books 1 to 10 are each viewed with book 1000 by two readers first; then 190 readers view
    // book 1000 with one other book each. The set is trimmed by rank as it fills: the ten
    // pairs counted twice are the most co-viewed and stay.
    const popular = Array.from({ length: 20 }, (_, index) => [
      view(100 + index, 1000),
      view(100 + index, (index % 10) + 1),
    ]).flat();
    const others = Array.from({ length: 190 }, (_, index) => [
      view(200 + index, index + 11),
      view(200 + index, 1000),
    ]).flat();
    await appendAndApply(test, popular, others);
    const coViews = await test.store.coViewed(1000, 1000);
    expect(coViews).toHaveLength(DEFAULT_READ_MODEL_LIMITS.maxCoViews);
    expect(coViews.slice(0, 10).map((coView) => coView.count)).toEqual(Array(10).fill(2));
    expect(
      coViews
        .slice(0, 10)
        .map((coView) => coView.bookId)
        .sort((a, b) => a - b),
    ).toEqual(Array.from({ length: 10 }, (_, index) => index + 1));
    expect(coViews.slice(10).every((coView) => coView.count === 1)).toBe(true);
    expect(await test.store.coViewed(7, 10)).toEqual([{ bookId: 1000, count: 2 }]);
    expect(await test.store.coViewed(150, 10)).toEqual([{ bookId: 1000, count: 1 }]);
    expect(await test.store.coViewed(1000, 3)).toHaveLength(3);
  });

  it('counts distinct readers per pair of books, most co-viewed first; a re-view counts nothing', async () => {
    const test = makeStore();
    const [A, B, C] = [11, 12, 13];
    await appendAndApply(
      test,
      [view(1, A), view(1, B), view(1, C)],
      [view(2, A), view(2, B)],
      [view(3, B), view(3, A)],
      [view(4, A), view(4, C)],
      // Re-views: no pair gains a reader.
      [view(1, B), view(2, A), view(4, C)],
    );
    expect(await test.store.coViewed(A, 10)).toEqual([
      { bookId: B, count: 3 },
      { bookId: C, count: 2 },
    ]);
    expect(await test.store.coViewed(B, 10)).toEqual([
      { bookId: A, count: 3 },
      { bookId: C, count: 1 },
    ]);
    expect(await test.store.coViewed(C, 1)).toEqual([{ bookId: A, count: 2 }]);
    expect(await test.store.coViewed(C, 0)).toEqual([]);
    expect(await test.store.coViewed(99, 10)).toEqual([]);
  });

  it("reads a reader's history with each view's co-views at once, as the separate reads answer them", async () => {
    const test = makeStore();
    const [A, B, C] = [11, 12, 13];
    await appendAndApply(test, [view(1, A), view(1, B)], [view(2, A), view(2, C)], [view(3, C, 50), view(3, B, 60)]);
    const views = await test.store.recentViews(3, 10);
    const history = await test.store.readerHistory(3, 10, 1);
    expect(history.views).toEqual(views);
    expect(history.coViews).toEqual(await Promise.all(views.map((v) => test.store.coViewed(v.bookId, 1))));
    expect(history.coViews.flat().length).toBeGreaterThan(0);
    expect(await test.store.readerHistory(3, 1, 10)).toEqual({
      views: [views[0]],
      coViews: [await test.store.coViewed(views[0]!.bookId, 10)],
    });
    expect(await test.store.readerHistory(99, 10, 10)).toEqual({ views: [], coViews: [] });
  });

  it('reads a history with a view that has no co-views, large ids and times, and no co-views asked', async () => {
    const test = makeStore();
    const [big, bigger] = [2 ** 31 - 1, Number.MAX_SAFE_INTEGER];
    const late = 8_640_000_000_000_000; // the latest time a Date holds
    // Reader 4 views one book only: it has no co-views. Reader 5 views both, late.
    await appendAndApply(test, [view(4, 7, 1000)], [view(5, big, late - 1), view(5, bigger, late)]);
    expect(await test.store.readerHistory(4, 10, 10)).toEqual({
      views: [{ bookId: 7, viewedAtMs: 1000 }],
      coViews: [[]],
    });
    expect(await test.store.readerHistory(5, 10, 10)).toEqual({
      views: [
        { bookId: bigger, viewedAtMs: late },
        { bookId: big, viewedAtMs: late - 1 },
      ],
      coViews: [[{ bookId: big, count: 1 }], [{ bookId: bigger, count: 1 }]],
    });
    expect(await test.store.readerHistory(5, 10, 0)).toEqual({
      views: [
        { bookId: bigger, viewedAtMs: late },
        { bookId: big, viewedAtMs: late - 1 },
      ],
      coViews: [[], []],
    });
    expect(await test.store.readerHistory(5, 0, 10)).toEqual({ views: [], coViews: [] });
  });

  it("answers a reader's history as it is now after more views change its books' co-views", async () => {
    const test = makeStore();
    const [A, B, C, D] = [21, 22, 23, 24];
    const separately = async (userId: number, perBook: number) => {
      const views = await test.store.recentViews(userId, 10);
      return { views, coViews: await Promise.all(views.map((v) => test.store.coViewed(v.bookId, perBook))) };
    };
    await appendAndApply(test, [view(1, A), view(1, B)], [view(2, A), view(2, C)]);
    const before = await test.store.readerHistory(1, 10, 2);
    expect(before).toEqual(await separately(1, 2));
    // A reader views B, C and D: A's list is unchanged, B's gains C and D, C's and D's change.
    await appendAndApply(test, [view(3, B), view(3, C), view(3, D)]);
    const after = await test.store.readerHistory(1, 10, 2);
    expect(after).toEqual(await separately(1, 2));
    expect(after).not.toEqual(before);
    expect(await test.store.readerHistory(2, 10, 2)).toEqual(await separately(2, 2));
    expect(await test.store.readerHistory(2, 10, 1)).toEqual(await separately(2, 1));
  });

  it('pairs a view only with the books still in the capped history', async () => {
    const test = makeStore({ limits: { ...DEFAULT_READ_MODEL_LIMITS, maxRecentViews: 2 } });
    await appendAndApply(test, [view(1, 1, 1000), view(1, 2, 2000), view(1, 3, 3000), view(1, 4, 4000)]);
    // History when 3 came: 1 and 2; when 4 came: 2 and 3 (1 was trimmed when 3 came). Equal
    // counts come in descending order of the id as text, as a Redis sorted set orders them.
    expect(await test.store.coViewed(4, 10)).toEqual([
      { bookId: 3, count: 1 },
      { bookId: 2, count: 1 },
    ]);
    expect(await test.store.coViewed(1, 10)).toEqual([
      { bookId: 3, count: 1 },
      { bookId: 2, count: 1 },
    ]);
  });

  it('logs events of other kinds but applies them to no read model', async () => {
    const test = makeStore();
    await appendAndApply(test, [{ ...view(6, 1), kind: 2 }]);
    expect(test.applied).toHaveLength(1);
    expect(await test.store.recentViews(6, 10)).toEqual([]);
  });

  it("forgets a reader's history recentViewsTtlMs after their last view", async () => {
    const test = makeStore({ limits: { ...DEFAULT_READ_MODEL_LIMITS, recentViewsTtlMs: 1000 } });
    await appendAndApply(test, [view(9, 1), view(9, 2)]);
    expect(await test.store.recentViews(9, 10)).toHaveLength(2);
    await eventually(async () => expect(await test.store.recentViews(9, 10)).toEqual([]));
    // Co-views are not a reader's history: they stay.
    expect(await test.store.coViewed(1, 10)).toEqual([{ bookId: 2, count: 1 }]);
  });

  it('closes more than once; calls after close reject', async () => {
    const { store } = makeStore();
    await store.close();
    await store.close();
    await expect(store.append([view(1, 1)])).rejects.toThrow(/closed/);
    await expect(store.recentViews(1, 10)).rejects.toThrow(/closed/);
    await expect(store.coViewed(1, 10)).rejects.toThrow(/closed/);
    store.startConsumer();
  });
});
