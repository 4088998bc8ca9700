import { RecommendationServiceClient, ReaderEventKind, type ReaderEvent } from '@bookstore/contracts';
import { fetchMetricsText, type RedisServer, sampleValue, startRedis } from '@bookstore/test-support';
import { credentials } from '@grpc/grpc-js';
import { execFileSync } from 'node:child_process';
import { ipv4Target, startMarketplace, startReplicas, stopAll } from './support/bookstore';
import { startService, type ServiceProcess } from './support/processes';

const BOOKS = 18;

/** Reader `user`'s k-th view: 10 distinct books per reader, spread over the catalog. */
const bookOf = (user: number, k: number) => 1 + ((user * 7 + k * 5) % BOOKS);

/** Co-view counts a correct pipeline makes: per pair of books, the readers who viewed both. */
function expectedCoViews(views: ReadonlyMap<number, ReadonlySet<number>>): Map<string, number> {
  const counts = new Map<string, number>();
  for (const books of views.values()) {
    for (const a of books)
      for (const b of books) if (a !== b) counts.set(`${a}:${b}`, (counts.get(`${a}:${b}`) ?? 0) + 1);
  }
  return counts;
}

/** The co-view read model as Valkey holds it (bookstore:coviews:<book>, member = other book, score = count). */
function coViewsIn(redis: RedisServer): Map<string, number> {
  const counts = new Map<string, number>();
  for (let book = 1; book <= BOOKS; book += 1) {
    const out = execFileSync(
      'redis-cli',
      ['-p', String(redis.port), 'ZRANGE', `bookstore:coviews:${book}`, '0', '-1', 'WITHSCORES'],
      {
        encoding: 'utf8',
      },
    );
    const flat = out.trim().split('\n').filter(Boolean);
    for (let i = 0; i < flat.length; i += 2) counts.set(`${book}:${flat[i]}`, Number(flat[i + 1]));
  }
  return counts;
}

/** Polls until the read model equals `expected` (the consumers catch up), or the time is up. */
async function coViewsOnceApplied(redis: RedisServer, expected: Map<string, number>, timeoutMs: number) {
  const deadline = Date.now() + timeoutMs;
  let seen = coViewsIn(redis);
  while (Date.now() < deadline && JSON.stringify([...seen].sort()) !== JSON.stringify([...expected].sort())) {
    await new Promise((resolve) => setTimeout(resolve, 200));
    seen = coViewsIn(redis);
  }
  return Object.fromEntries([...seen].sort());
}

describe('reader events through Valkey, with replicas failing', () => {
  let redis: RedisServer | undefined;
  const running: (ServiceProcess | undefined)[] = [];
  afterEach(async () => {
    await stopAll(running.splice(0));
    await redis?.stop();
    redis = undefined;
  });

  it('a replica SIGKILLed while 2,000 events stream in: every acknowledged event applied once, none lost', async () => {
    redis = await startRedis();
    // Events a dead consumer read are claimed by another replica after STORE_CLAIM_IDLE_MS.
    const replicas = await startReplicas(3, { STORE_URL: redis.url, STORE_CLAIM_IDLE_MS: '2000' });
    running.push(...replicas);
    const views = new Map<number, Set<number>>();
    const batches: ReaderEvent[][] = [];
    for (let user = 1; user <= 200; user += 1) {
      const batch: ReaderEvent[] = [];
      for (let k = 0; k < 10; k += 1) {
        const bookId = bookOf(user, k);
        views.set(user, (views.get(user) ?? new Set()).add(bookId));
        batch.push({
          eventId: `kill-${user}-${k}`,
          userId: user,
          bookId,
          kind: ReaderEventKind.READER_EVENT_KIND_VIEWED,
          occurredAt: undefined,
        });
      }
      batches.push(batch);
    }

    // One stream per replica, one batch in flight on each; a failed stream's batch goes to another.
    let acknowledged = 0;
    let killed = false;
    await new Promise<void>((resolve, reject) => {
      const queue = [...batches];
      let streamsLeft = replicas.length;
      for (const replica of replicas) {
        const client = new RecommendationServiceClient(`127.0.0.1:${replica.port}`, credentials.createInsecure());
        const call = client.recordEvents();
        let inFlight: ReaderEvent[] | undefined;
        const next = () => {
          inFlight = queue.shift();
          if (inFlight === undefined) {
            call.end();
            return;
          }
          call.write({ events: inFlight });
        };
        call.on('data', (response: { storedEventIds: string[]; rejected: unknown[] }) => {
          if (response.rejected.length > 0) reject(new Error(`rejected: ${JSON.stringify(response.rejected)}`));
          acknowledged += response.storedEventIds.length;
          if (!killed && acknowledged >= 600) {
            killed = true;
            replicas[0]?.child.kill('SIGKILL');
          }
          next();
        });
        let closed = false;
        const done = () => {
          if (closed) return;
          closed = true;
          if (inFlight !== undefined) queue.unshift(inFlight); // never acknowledged: resend elsewhere
          inFlight = undefined;
          client.close();
          streamsLeft -= 1;
          if (streamsLeft > 0) return;
          if (queue.length === 0) resolve();
          else reject(new Error(`${queue.length} batches left`));
        };
        call.on('error', done);
        call.on('end', done);
        next();
      }
    });
    expect(killed).toBe(true);
    expect(acknowledged).toBe(2_000);
    const expected = expectedCoViews(views);
    expect(await coViewsOnceApplied(redis, expected, 30_000)).toEqual(Object.fromEntries([...expected].sort()));
  }, 90_000);

  it('a rolling restart of every replica under page load: every view acknowledged and applied once', async () => {
    redis = await startRedis();
    const env = { STORE_URL: redis.url, SHUTDOWN_GRACE_MS: '3000', STORE_CLAIM_IDLE_MS: '2000' };
    const replicas = await startReplicas(3, env);
    const marketplace = await startMarketplace(ipv4Target(replicas));
    running.push(marketplace, ...replicas);
    const base = `http://127.0.0.1:${marketplace.port}`;
    const views = new Map<number, Set<number>>();
    const restarts: Promise<void>[] = [];
    for (let user = 1; user <= 120; user += 1) {
      const index = [20, 50, 80].indexOf(user);
      const old = replicas[index];
      if (old !== undefined) {
        restarts.push(
          (async () => {
            expect(await old.stop('SIGTERM')).toBe(0);
            running.push(await startService('recommendations', { ...env, PORT: String(old.port) }));
          })(),
        );
      }
      for (let k = 0; k < 4; k += 1) {
        const bookId = bookOf(user, k);
        views.set(user, (views.get(user) ?? new Set()).add(bookId));
        const page = await fetch(`${base}/books/${bookId}`, { headers: { cookie: `uid=${5000 + user}` } });
        expect(page.status).toBe(200);
      }
    }
    await Promise.all(restarts);
    const metrics = async () => fetchMetricsText(marketplace.ready.metricsPort as number);
    const deadline = Date.now() + 30_000;
    while ((sampleValue(await metrics(), 'marketplace_reader_events_queued') ?? -1) !== 0 && Date.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
    const text = await metrics();
    expect(sampleValue(text, 'marketplace_reader_events_queued')).toBe(0);
    expect(sampleValue(text, 'marketplace_reader_events_acknowledged_total')).toBe(480);
    expect(sampleValue(text, 'marketplace_reader_events_dropped_total') ?? 0).toBe(0);
    const expected = expectedCoViews(views);
    expect(await coViewsOnceApplied(redis, expected, 30_000)).toEqual(Object.fromEntries([...expected].sort()));
  }, 120_000);

  it('store down: pages and book pages still answer, views wait in the outbox; back up, the backlog drains', async () => {
    redis = await startRedis();
    const replicas = await startReplicas(1, { STORE_URL: redis.url });
    const marketplace = await startMarketplace(ipv4Target(replicas));
    running.push(marketplace, ...replicas);
    const base = `http://127.0.0.1:${marketplace.port}`;
    const queued = async () =>
      sampleValue(
        await fetchMetricsText(marketplace.ready.metricsPort as number),
        'marketplace_reader_events_queued',
      ) ?? -1;

    await redis.kill();
    const views = new Map<number, Set<number>>();
    for (let user = 1; user <= 5; user += 1) {
      for (let k = 0; k < 3; k += 1) {
        const bookId = bookOf(user, k);
        views.set(user, (views.get(user) ?? new Set()).add(bookId));
        const page = await fetch(`${base}/books/${bookId}`, { headers: { cookie: `uid=${9000 + user}` } });
        expect(page.status).toBe(200);
      }
      const home = await fetch(`${base}/?category=mystery`, { headers: { cookie: `uid=${9000 + user}` } });
      expect(home.status).toBe(200);
      expect((await home.text()).match(/class="book"/g)?.length).toBe(3);
    }
    expect(await queued()).toBe(15);

    await redis.restart();
    const deadline = Date.now() + 30_000;
    while ((await queued()) !== 0 && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 200));
    expect(await queued()).toBe(0);
    const expected = expectedCoViews(views);
    expect(await coViewsOnceApplied(redis, expected, 15_000)).toEqual(Object.fromEntries([...expected].sort()));
  }, 90_000);
});
