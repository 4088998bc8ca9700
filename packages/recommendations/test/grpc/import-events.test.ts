import { type ImportEventsResponse, ReaderEventKind } from '@bookstore/contracts';
import { sampleValue } from '@bookstore/test-support';
import { Metadata, type ServiceError, status as Status } from '@grpc/grpc-js';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createEmbeddedStore } from '../../src/store/embedded-store';
import type { EventStore } from '../../src/store/event-store';
import { createMemoryStore } from '../support/memory-store';
import type { TestServer } from '../support/test-server';
import { withTestServer } from '../support/with-test-server';

const VIEWED = ReaderEventKind.READER_EVENT_KIND_VIEWED;
const TOKEN = 'operator-token-5c1d2e';
// One token file for every server here (each reads it as it starts).
const tokenDir = mkdtempSync(join(tmpdir(), 'import-'));
const TOKEN_FILE = join(tokenDir, 'token');
writeFileSync(TOKEN_FILE, `${TOKEN}\n`);
afterAll(() => rmSync(tokenDir, { recursive: true, force: true }));

function startedEmbeddedStore(): EventStore {
  const store = createEmbeddedStore();
  store.startConsumer();
  return store;
}

interface SentEvent {
  eventId: string;
  userId: number;
  bookId: number;
  kind: ReaderEventKind;
  occurredAt: Date | undefined;
}
const view = (eventId: string, userId: number, bookId: number): SentEvent => ({
  eventId,
  userId,
  bookId,
  kind: VIEWED,
  occurredAt: undefined,
});

/** One ImportEvents call: every event written (waiting for drain), then the answer. */
function importEvents(server: TestServer, events: Iterable<SentEvent>, authorization?: string) {
  const metadata = new Metadata();
  if (authorization !== undefined) metadata.set('authorization', authorization);
  return new Promise<ImportEventsResponse>((resolve, reject) => {
    const call = server.client.importEvents(metadata, (error: ServiceError | null, response?: ImportEventsResponse) =>
      error || response === undefined ? reject(error ?? new Error('no response')) : resolve(response),
    );
    const write = async () => {
      for (const event of events) {
        if (!call.write({ event })) await new Promise((drained) => call.once('drain', drained));
      }
      call.end();
    };
    write().catch(reject);
  });
}

describe('ImportEvents', () => {
  const t = withTestServer(
    { store: startedEmbeddedStore, env: { IMPORT_TOKEN_FILE: TOKEN_FILE, MAX_IMPORT_STREAMS: '1' } },
    { perTest: true },
  );

  it('refuses a call without a token (UNAUTHENTICATED) and one with a wrong token (PERMISSION_DENIED)', async () => {
    const events = [view('a', 1, 1)];
    await expect(importEvents(t.server, events)).rejects.toMatchObject({ code: Status.UNAUTHENTICATED });
    await expect(importEvents(t.server, events, 'Bearer nope')).rejects.toMatchObject({
      code: Status.PERMISSION_DENIED,
    });
    await expect(importEvents(t.server, events, `Basic ${TOKEN}`)).rejects.toMatchObject({
      code: Status.UNAUTHENTICATED,
    });
    expect(await t.store.recentViews(1, 10)).toEqual([]);
  });

  it('stores events in batches, counts duplicates, lists rejections with their index, and the read models see them', async () => {
    function* history(): Generator<SentEvent> {
      for (let i = 0; i < 1_200; i += 1) yield view(`e-${i}`, 1_000 + (i % 300), 1 + (i % 6));
      yield view('e-5', 1_005, 6); // a duplicate id
      yield view('bad-book', 1, 99);
      yield view('bad-user', 0, 1);
    }
    const answer = await importEvents(t.server, history(), `Bearer ${TOKEN}`);
    expect(answer).toEqual({
      accepted: 1_200,
      duplicates: 1,
      rejectedCount: 2,
      rejected: [
        { index: 1_201, eventId: 'bad-book', reason: 'unknown book 99' },
        { index: 1_202, eventId: 'bad-user', reason: 'user_id must be >= 1 (got 0)' },
      ],
    });
    // Applied by the consumer like live events: reader 1000 viewed books 1 (e-0), 1 (e-300), …
    const deadline = Date.now() + 5_000;
    while ((await t.store.recentViews(1_000, 10)).length === 0 && Date.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    expect((await t.store.recentViews(1_000, 10)).map((v) => v.bookId)).toContain(1);
    const metrics = await t.server.metrics();
    expect(metrics).toContain('recommendations_reader_events_total{outcome="stored"} 1200');
  });

  it('lists the first 100 rejections and counts the rest', async () => {
    const bad = Array.from({ length: 150 }, (_, i) => view(`bad-${i}`, 1, 99));
    const answer = await importEvents(t.server, bad, `Bearer ${TOKEN}`);
    expect(answer.rejectedCount).toBe(150);
    expect(answer.rejected).toHaveLength(100);
    expect(answer.rejected[99]).toEqual({ index: 99, eventId: 'bad-99', reason: 'unknown book 99' });
  });

  it('runs MAX_IMPORT_STREAMS imports at once and refuses more (RESOURCE_EXHAUSTED)', async () => {
    const metadata = new Metadata();
    metadata.set('authorization', `Bearer ${TOKEN}`);
    let first: Promise<ImportEventsResponse> | undefined;
    const open = t.server.client.importEvents(
      metadata,
      (error: ServiceError | null, response?: ImportEventsResponse) => {
        first =
          error || response === undefined
            ? Promise.reject(error ?? new Error('no response'))
            : Promise.resolve(response);
      },
    );
    open.write({ event: view('held', 1, 1) });
    // The held import is open once the server started it (the metric counts it as it starts).
    const started = async () =>
      sampleValue(await t.server.metrics(), 'grpc_server_started_total', { grpc_method: 'ImportEvents' }) ?? 0;
    const deadline = Date.now() + 5_000;
    while ((await started()) < 1 && Date.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    await expect(importEvents(t.server, [view('b', 1, 2)], `Bearer ${TOKEN}`)).rejects.toMatchObject({
      code: Status.RESOURCE_EXHAUSTED,
    });
    open.end();
    // The held import's answer: the server has finished it and freed its place.
    await new Promise<void>((resolve) => open.on('status', () => resolve()));
    await expect(importEvents(t.server, [view('c', 1, 3)], `Bearer ${TOKEN}`)).resolves.toMatchObject({ accepted: 1 });
    await expect(first).resolves.toMatchObject({ accepted: 1 });
  });
});

describe('ImportEvents at debug, with the metadata logged', () => {
  const t = withTestServer({ store: startedEmbeddedStore, env: { IMPORT_TOKEN_FILE: TOKEN_FILE, LOG_LEVEL: 'debug' } });

  it('never writes the token to the log', async () => {
    await importEvents(t.server, [view('a', 1, 1)], `Bearer ${TOKEN}`);
    await importEvents(t.server, [view('b', 1, 1)], `Bearer wrong-${TOKEN}`).catch(() => undefined);
    await t.server.waitForLog(
      (line) => String(line.method).endsWith('/ImportEvents') && line.code === 'PERMISSION_DENIED',
    );
    const text = JSON.stringify(t.server.logs);
    expect(text).toContain('ImportEvents');
    expect(text).toContain('[Redacted]'); // the metadata was logged, its authorization redacted
    expect(text).not.toContain(TOKEN);
  });
});

describe('ImportEvents when the store fails part-way', () => {
  const t = withTestServer({
    store: () => {
      const store = createMemoryStore();
      // The first batch (500) is stored; the store then fails the second.
      const appendOnce = store.append.bind(store);
      store.append = async (batch) => {
        const result = await appendOnce(batch);
        store.mode = 'fail';
        return result;
      };
      return store;
    },
    env: { IMPORT_TOKEN_FILE: TOKEN_FILE },
  });

  it('answers UNAVAILABLE, counts the events stored before the failure and logs the failure', async () => {
    const events = Array.from({ length: 1_200 }, (_, i) => view(`f-${i}`, 1 + (i % 7), 1 + (i % 18)));
    const answer = importEvents(t.server, events, `Bearer ${TOKEN}`);
    await expect(answer).rejects.toMatchObject({ code: Status.UNAVAILABLE });
    expect(t.store.log).toHaveLength(500);
    const metrics = await t.server.metrics();
    expect(sampleValue(metrics, 'recommendations_reader_events_total', { outcome: 'stored' })).toBe(500);
    const line = await t.server.waitForLog((l) => l.operation === 'import_events');
    expect(line).toMatchObject({ msg: 'event store failed', degraded: false });
  });
});

describe('ImportEvents without IMPORT_TOKEN_FILE', () => {
  const t = withTestServer({ store: createEmbeddedStore });

  it('is off for everyone', async () => {
    await expect(importEvents(t.server, [view('a', 1, 1)], `Bearer ${TOKEN}`)).rejects.toMatchObject({
      code: Status.PERMISSION_DENIED,
      details: expect.stringContaining('imports are off') as unknown,
    });
  });
});
