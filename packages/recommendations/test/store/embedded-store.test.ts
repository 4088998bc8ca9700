import { createEmbeddedStore, type EmbeddedStoreOptions } from '../../src/store/embedded-store';
import { DEFAULT_READ_MODEL_LIMITS, type EventStore, type StoredEvent } from '../../src/store/event-store';
import { EventStoreError } from '../../src/store/store-errors';
import { eventually, view } from './support';

const open: EventStore[] = [];
afterEach(async () => {
  await Promise.all(open.splice(0).map((store) => store.close()));
});

/** An embedded store on a clock the test moves, recording what its consumer applied. */
function makeStore(options: Omit<EmbeddedStoreOptions, 'now' | 'onApplied'> = {}, start = true) {
  const clock = { now: 1_000_000 };
  const applied: StoredEvent[] = [];
  const store = createEmbeddedStore({ ...options, now: () => clock.now, onApplied: (event) => applied.push(event) });
  open.push(store);
  if (start) store.startConsumer();
  return { store, applied, clock };
}

describe('the embedded event store', () => {
  it('remembers an id for the dedupe window, then appends it again', async () => {
    const { store, clock } = makeStore({ dedupeTtlMs: 60_000 });
    const event = view(1, 1);
    expect((await store.append([event])).appended).toEqual([event.eventId]);
    clock.now += 59_999;
    expect((await store.append([event])).duplicates).toEqual([event.eventId]);
    clock.now += 1;
    expect((await store.append([event])).appended).toEqual([event.eventId]);
  });

  it('remembers at most maxDedupeIds ids, forgetting the oldest first', async () => {
    const { store } = makeStore({ maxDedupeIds: 3 });
    const events = [view(1, 1), view(1, 2), view(1, 3), view(1, 4)];
    await store.append(events);
    expect(await store.append([events[1]!, events[0]!])).toEqual({
      appended: [events[0]!.eventId],
      duplicates: [events[1]!.eventId],
    });
  });

  it('rejects appends past its backlog of unapplied events, and takes them again once applied', async () => {
    const { store, applied } = makeStore({ maxBacklog: 5 }, false);
    await store.append(Array.from({ length: 5 }, (_, index) => view(1, index + 1)));
    const failure = await store.append([view(1, 6)]).catch((error: unknown) => error);
    expect(failure).toBeInstanceOf(EventStoreError);
    expect((failure as EventStoreError).reason).toBe('backlog-full');
    store.startConsumer();
    await eventually(() => expect(applied).toHaveLength(5));
    expect((await store.append([view(1, 6)])).appended).toHaveLength(1);
  });

  it('applies a large backlog over several turns of the event loop', async () => {
    const { store, applied } = makeStore();
    await store.append(Array.from({ length: 5000 }, (_, index) => view(index + 1, 1)));
    await new Promise((resolve) => setImmediate(resolve));
    expect(applied.length).toBeLessThan(5000);
    await eventually(() => expect(applied).toHaveLength(5000));
  });

  it('forgets a history recentViewsTtlMs after the last view, by its clock', async () => {
    const { store, applied, clock } = makeStore({ limits: { ...DEFAULT_READ_MODEL_LIMITS, recentViewsTtlMs: 10_000 } });
    await store.append([view(1, 1, 5)]);
    await eventually(() => expect(applied).toHaveLength(1));
    clock.now += 9_999;
    expect(await store.recentViews(1, 10)).toEqual([{ bookId: 1, viewedAtMs: 5 }]);
    clock.now += 1;
    expect(await store.recentViews(1, 10)).toEqual([]);
    // A view after that starts a new history: no pair with the forgotten book.
    await store.append([view(1, 2)]);
    await eventually(() => expect(applied).toHaveLength(2));
    expect(await store.coViewed(2, 10)).toEqual([]);
  });

  it('keeps the histories of at most maxReaders readers, the least recently active forgotten first', async () => {
    const { store, applied } = makeStore({ maxReaders: 2 });
    await store.append([view(1, 1), view(2, 1), view(1, 2), view(3, 1)]);
    await eventually(() => expect(applied).toHaveLength(4));
    expect(await store.recentViews(2, 10)).toEqual([]);
    expect(await store.recentViews(1, 10)).toHaveLength(2);
    expect(await store.recentViews(3, 10)).toHaveLength(1);
  });

  it('keeps the co-views of at most maxBooks books, the least recently updated forgotten first', async () => {
    const { store, applied } = makeStore({ maxBooks: 2 });
    await store.append([view(1, 1), view(1, 2), view(2, 3), view(2, 4)]);
    await eventually(() => expect(applied).toHaveLength(4));
    expect(await store.coViewed(1, 10)).toEqual([]);
    expect(await store.coViewed(2, 10)).toEqual([]);
    expect(await store.coViewed(3, 10)).toEqual([{ bookId: 4, count: 1 }]);
  });

  it('refuses limits that would break trimming', () => {
    expect(() => createEmbeddedStore({ limits: { ...DEFAULT_READ_MODEL_LIMITS, maxCoViews: 0 } })).toThrow(
      /maxCoViews/,
    );
    expect(() => createEmbeddedStore({ limits: { ...DEFAULT_READ_MODEL_LIMITS, maxRecentViews: 1.5 } })).toThrow(
      /maxRecentViews/,
    );
  });
});
