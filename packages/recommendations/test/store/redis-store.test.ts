import { type RedisServer, freePort, startRedis } from '@bookstore/test-support';
import { Redis } from 'ioredis';
import type { EventStore, StoredEvent } from '../../src/store/event-store';
import { APPLY_ENTRY, DELETE_IDLE_CONSUMERS, TRIM_ACKNOWLEDGED } from '../../src/store/redis-scripts';
import { CONSUMER_GROUP, createRedisStore, type RedisStoreOptions } from '../../src/store/redis-store';
import { EventStoreError } from '../../src/store/store-errors';
import { capturingLogger, eventually, view } from './support';

let redis: RedisServer;
/** A plain connection for looking at (and tampering with) what the stores wrote. */
let raw: Redis;
const open: EventStore[] = [];
let namespaces = 0;

beforeAll(async () => {
  redis = await startRedis();
  raw = new Redis(redis.url);
});
afterEach(async () => {
  await Promise.all(open.splice(0).map((store) => store.close()));
});
afterAll(async () => {
  raw.disconnect();
  await redis.stop();
});

const newNamespace = () => `redis-test-${++namespaces}`;

/** A store on the test's server that records what its consumer applied. */
function makeStore(options: Partial<RedisStoreOptions> & { namespace: string }) {
  const applied: StoredEvent[] = [];
  const store = createRedisStore({ url: redis.url, ...options, onApplied: (event) => applied.push(event) });
  open.push(store);
  return { store, applied };
}

describe('the Redis event store with several consumers', () => {
  it('applies 2,000 events appended through two stores exactly once in total', async () => {
    const namespace = newNamespace();
    const a = makeStore({ namespace, consumerName: 'a', maintenanceIntervalMs: 200 });
    const b = makeStore({ namespace, consumerName: 'b', maintenanceIntervalMs: 200 });
    a.store.startConsumer();
    b.store.startConsumer();
    // Reader r views book 1, then book 2 + r % 10: every book 2..11 is co-viewed with book 1 by
    // 100 readers. 20 batches of 100, alternately through each store.
    const events = Array.from({ length: 1000 }, (_, index) => [
      view(index + 1, 1),
      view(index + 1, 2 + (index % 10)),
    ]).flat();
    for (let batch = 0; batch < 20; batch++) {
      const store = batch % 2 === 0 ? a.store : b.store;
      const result = await store.append(events.slice(batch * 100, batch * 100 + 100));
      expect(result.appended).toHaveLength(100);
    }
    await eventually(() => expect(a.applied.length + b.applied.length).toBe(2000), 10_000);

    const appliedIds = [...a.applied, ...b.applied].map((event) => event.eventId);
    expect(new Set(appliedIds).size).toBe(2000);
    expect(new Set(appliedIds)).toEqual(new Set(events.map((event) => event.eventId)));
    // Both consumers took part.
    expect(a.applied.length).toBeGreaterThan(0);
    expect(b.applied.length).toBeGreaterThan(0);
    // The read models, through either store: each pair counted once per reader.
    const coViews = await b.store.coViewed(1, 50);
    expect(coViews.map((coView) => coView.count)).toEqual(Array(10).fill(100));
    expect(coViews.map((coView) => coView.bookId).sort((x, y) => x - y)).toEqual([2, 3, 4, 5, 6, 7, 8, 9, 10, 11]);
    expect(await a.store.coViewed(5, 50)).toEqual([{ bookId: 1, count: 100 }]);
    // Nothing left pending, and the applied entries are trimmed from the log.
    expect((await raw.xpending(`${namespace}:events`, CONSUMER_GROUP))[0]).toBe(0);
    await eventually(async () => expect(await raw.xlen(`${namespace}:events`)).toBeLessThan(200));
  });

  it('claims the entries a consumer read and never acknowledged, and applies each once', async () => {
    const namespace = newNamespace();
    const stream = `${namespace}:events`;
    const survivor = makeStore({ namespace, consumerName: 'survivor', claimIdleMs: 300, maintenanceIntervalMs: 100 });
    const events = Array.from({ length: 50 }, (_, index) => view(500 + index, 7));
    await survivor.store.append(events);
    // A consumer reads every entry and dies before applying any.
    await raw.xgroup('CREATE', stream, CONSUMER_GROUP, '0', 'MKSTREAM');
    const read = (await raw.xreadgroup(
      'GROUP',
      CONSUMER_GROUP,
      'dead',
      'COUNT',
      1000,
      'STREAMS',
      stream,
      '>',
    )) as Array<[string, Array<[string, string[]]>]>;
    const entryIds = read[0]![1].map(([id]) => id);
    expect(entryIds).toHaveLength(50);
    expect((await raw.xpending(stream, CONSUMER_GROUP))[0]).toBe(50);

    survivor.store.startConsumer();
    await eventually(() => expect(survivor.applied).toHaveLength(50));
    expect(survivor.applied.map((event) => event.eventId).sort()).toEqual(events.map((event) => event.eventId).sort());
    expect((await raw.xpending(stream, CONSUMER_GROUP))[0]).toBe(0);
    expect(await survivor.store.recentViews(500, 10)).toEqual([{ bookId: 7, viewedAtMs: events[0]!.occurredAtMs }]);

    // The dead consumer wakes up and applies what it had read: its script finds the entry
    // already acknowledged and applies nothing.
    const late = await raw.eval(
      APPLY_ENTRY,
      2,
      stream,
      `${namespace}:views:999`,
      CONSUMER_GROUP,
      entryIds[0]!,
      7,
      1,
      1,
      50,
      60_000,
      50,
      `${namespace}:coviews:`,
    );
    expect(late).toBe(0);
    expect(await raw.exists(`${namespace}:views:999`)).toBe(0);
    expect(survivor.applied).toHaveLength(50);
  });

  it('applies nothing twice when the consumer is closed and another takes over', async () => {
    const namespace = newNamespace();
    const first = makeStore({ namespace, consumerName: 'first' });
    first.store.startConsumer();
    await first.store.append([view(1, 1), view(1, 2)]);
    await eventually(() => expect(first.applied).toHaveLength(2));
    await first.store.close();
    const second = makeStore({ namespace, consumerName: 'second' });
    second.store.startConsumer();
    await second.store.append([view(1, 3)]);
    await eventually(() => expect(second.applied).toHaveLength(1));
    expect(await second.store.coViewed(3, 10)).toEqual([
      { bookId: 2, count: 1 },
      { bookId: 1, count: 1 },
    ]);
  });
});

describe("the Redis store's log trimming", () => {
  const fill = async (stream: string, count: number) => {
    const pipeline = raw.pipeline();
    for (let index = 0; index < count; index++)
      pipeline.xadd(stream, '*', 'id', `e${index}`, 'u', 1, 'b', 1, 'k', 1, 't', 1);
    await pipeline.exec();
  };
  const readAs = async (stream: string, consumer: string, count: number) => {
    const reply = (await raw.xreadgroup(
      'GROUP',
      CONSUMER_GROUP,
      consumer,
      'COUNT',
      count,
      'STREAMS',
      stream,
      '>',
    )) as Array<[string, Array<[string, string[]]>]>;
    return reply[0]![1].map(([id]) => id);
  };
  const trim = (stream: string) => raw.eval(TRIM_ACKNOWLEDGED, 1, stream, CONSUMER_GROUP);

  it('trims nothing without a group', async () => {
    const stream = `${newNamespace()}:events`;
    await fill(stream, 300);
    await trim(stream);
    expect(await raw.xlen(stream)).toBe(300);
  });

  it('never trims an entry that is pending or not yet delivered', async () => {
    const stream = `${newNamespace()}:events`;
    await fill(stream, 300);
    await raw.xgroup('CREATE', stream, CONSUMER_GROUP, '0');
    const pending = await readAs(stream, 'slow', 100);
    const acknowledged = await readAs(stream, 'fast', 100);
    await raw.xack(stream, CONSUMER_GROUP, ...acknowledged);
    await trim(stream);
    // The first 100 are pending: nothing from them on may go.
    expect(await raw.xlen(stream)).toBe(300);

    await raw.xack(stream, CONSUMER_GROUP, ...pending);
    await trim(stream);
    // Entries 1-200 are acknowledged: trimmed (by whole nodes of 100); 201-300 were never
    // delivered and stay.
    const left = await raw.xlen(stream);
    expect(left).toBeGreaterThanOrEqual(100);
    expect(left).toBeLessThan(300);
    const undelivered = await raw.xrange(stream, '-', '+');
    expect(undelivered.slice(-100).map(([, fields]) => fields[1])).toEqual(
      Array.from({ length: 100 }, (_, index) => `e${200 + index}`),
    );
  });

  it('forgets idle consumers that hold nothing, never one with pending entries or itself', async () => {
    const stream = `${newNamespace()}:events`;
    await fill(stream, 10);
    await raw.xgroup('CREATE', stream, CONSUMER_GROUP, '0');
    await readAs(stream, 'holder', 5);
    await raw.xgroup('CREATECONSUMER', stream, CONSUMER_GROUP, 'empty');
    await raw.xgroup('CREATECONSUMER', stream, CONSUMER_GROUP, 'me');
    await eventually(async () =>
      expect(await raw.eval(DELETE_IDLE_CONSUMERS, 1, stream, CONSUMER_GROUP, 0, 'me')).toBe(1),
    );
    const consumers = (await raw.xinfo('CONSUMERS', stream, CONSUMER_GROUP)) as string[][];
    expect(consumers.map((consumer) => consumer[1]).sort()).toEqual(['holder', 'me']);
  });
});

describe('the Redis store when the server is down', () => {
  it('rejects calls within a second, keeps its consumer alive, and resumes when the server is back', async () => {
    const own = await startRedis();
    try {
      const { logger, lines } = capturingLogger();
      const applied: StoredEvent[] = [];
      const store = createRedisStore({
        url: own.url,
        namespace: 'down',
        logger,
        onApplied: (event) => applied.push(event),
      });
      open.push(store);
      store.startConsumer();
      await store.append([view(1, 1)]);
      await eventually(() => expect(applied).toHaveLength(1));

      await own.kill();
      const started = Date.now();
      const failure = await store.append([view(1, 2)]).catch((error: unknown) => error);
      expect(Date.now() - started).toBeLessThan(1200);
      expect(failure).toBeInstanceOf(EventStoreError);
      expect((failure as EventStoreError).reason).toBe('unavailable');
      await expect(store.recentViews(1, 10)).rejects.toThrow(EventStoreError);
      await expect(store.coViewed(1, 10)).rejects.toThrow(/unavailable/);
      await eventually(() =>
        expect(lines.some((line) => line.msg === 'event store consumer failed; retrying')).toBe(true),
      );
      // Down for a while longer: the consumer keeps retrying, and warns once per 10 s at most.
      await new Promise((resolve) => setTimeout(resolve, 2000));
      expect(lines.filter((line) => line.msg === 'event store consumer failed; retrying')).toHaveLength(1);
      expect(lines.filter((line) => line.msg === 'event store connection failed; reconnecting')).toHaveLength(1);

      // Back, empty (no persistence): the consumer makes its group again and applies new events.
      await own.restart();
      const event = view(2, 3, 123_000);
      await eventually(async () => expect((await store.append([event])).appended).toEqual([event.eventId]), 10_000);
      await eventually(
        async () => expect(await store.recentViews(2, 10)).toEqual([{ bookId: 3, viewedAtMs: 123_000 }]),
        10_000,
      );
      expect(applied.map((applied) => applied.eventId)).toContain(event.eventId);
      expect(lines.some((line) => line.msg === 'event store consumer resumed')).toBe(true);
      expect(lines.every((line) => !JSON.stringify(line).includes(own.url))).toBe(true);
      await store.close();
    } finally {
      await own.stop();
    }
  });

  it('rejects within about a second when the server was never reachable, and closes', async () => {
    const port = await freePort();
    const store = createRedisStore({
      url: `redis://127.0.0.1:${port}`,
      namespace: 'never',
      logger: capturingLogger().logger,
    });
    open.push(store);
    store.startConsumer();
    const started = Date.now();
    await expect(store.append([view(1, 1)])).rejects.toThrow(/unavailable/);
    expect(Date.now() - started).toBeLessThan(1500);
    const closing = Date.now();
    await store.close();
    expect(Date.now() - closing).toBeLessThan(3000);
  });

  it('rejects appends past its backlog bound: nothing of the batch is acknowledged', async () => {
    const { store } = makeStore({ namespace: newNamespace(), maxBacklog: 10 });
    await store.append(Array.from({ length: 10 }, (_, index) => view(1, index + 1)));
    const failure = await store.append([view(1, 11)]).catch((error: unknown) => error);
    expect(failure).toBeInstanceOf(EventStoreError);
    expect((failure as EventStoreError).reason).toBe('backlog-full');
  });
});

describe("the Redis store's keys", () => {
  it('forgets an event id after the dedupe window, and a history after its time to live', async () => {
    const namespace = newNamespace();
    const { store, applied } = makeStore({ namespace, dedupeTtlMs: 60_000 });
    store.startConsumer();
    const event = view(42, 1);
    await store.append([event]);
    await eventually(() => expect(applied).toHaveLength(1));
    const dedupeTtl = await raw.pttl(`${namespace}:event-id:${event.eventId}`);
    expect(dedupeTtl).toBeGreaterThan(50_000);
    expect(dedupeTtl).toBeLessThanOrEqual(60_000);
    const historyTtl = await raw.pttl(`${namespace}:views:42`);
    expect(historyTtl).toBeGreaterThan(29 * 24 * 60 * 60 * 1000);
    expect(await raw.type(`${namespace}:events`)).toBe('stream');
  });
});
