import { sampleValue } from '@bookstore/test-support';
import { status as Status } from '@grpc/grpc-js';
import pino from 'pino';
import { createReaderEvents, DROP_LOG_INTERVAL_MS, type ReaderEvents } from '../../src/reader-events/reader-events';
import { createRecommendationsClient, type RecommendationsClient } from '../../src/recommendations/client';
import { type FakeRecommendations, startFakeRecommendations } from '../support/fake-recommendations';
import type { LogLine } from '../support/test-app';

/** Resolves after the event loop has run for `ms` (letting streams move), not an assertion on time. */
const settle = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Resolves once `condition` holds, looking every 10 ms; rejects after 10 s. */
async function waitFor(condition: () => boolean): Promise<void> {
  for (let waited = 0; !condition(); waited += 10) {
    if (waited > 10_000) throw new Error('condition not met within 10 s');
    await settle(10);
  }
}

describe('reader events over RecordEvents (the fake, real gRPC on loopback)', () => {
  let server: FakeRecommendations;
  let client: RecommendationsClient;
  let events: ReaderEvents;
  let logs: LogLine[];
  let clock: number;

  async function start(capacity = 100, serverOptions?: Record<string, number>) {
    server = await startFakeRecommendations({ serverOptions });
    client = createRecommendationsClient({ address: server.address, timeoutMs: 1000 });
    logs = [];
    clock = 1_000_000;
    events = createReaderEvents({
      capacity,
      openStream: () => client.openRecordEvents(),
      logger: pino({ level: 'debug' }, { write: (line: string) => logs.push(JSON.parse(line) as LogLine) }),
      // Reconnects soon, so a test of one failure does not wait for the production backoff.
      tuning: { maxInFlightBatches: 4, initialBackoffMs: 20, maxBackoffMs: 100 },
      now: () => clock,
    });
  }
  const metric = async (name: string) => sampleValue(await events.metrics.registry.metrics(), name, {});

  afterEach(async () => {
    events?.close();
    client?.close();
    await server?.stop();
  });

  it('removes events from the outbox once acknowledged, on one stream, and counts them', async () => {
    await start();
    for (let book = 101; book <= 106; book++) events.viewed(7, book);
    expect(await events.flush(10_000)).toBe(0);
    expect(server.events.stored.map((e) => [e.userId, e.bookId])).toEqual(
      [101, 102, 103, 104, 105, 106].map((b) => [7, b]),
    );
    expect(server.calls.filter((c) => c.method === 'RecordEvents')).toHaveLength(1);
    expect(await metric('marketplace_reader_events_sent_total')).toBe(6);
    expect(await metric('marketplace_reader_events_acknowledged_total')).toBe(6);
    expect(await metric('marketplace_reader_events_queued')).toBe(0);
  });

  it('lets rejected events leave too, counted apart', async () => {
    await start();
    events.viewed(7, 999);
    events.viewed(7, 101);
    expect(await events.flush(10_000)).toBe(0);
    expect(await metric('marketplace_reader_events_rejected_total')).toBe(1);
    expect(await metric('marketplace_reader_events_acknowledged_total')).toBe(1);
  });

  it('reconnects after the stream fails and resends what was not acknowledged', async () => {
    await start();
    server.events.onBatch = (_batch, n) => (n === 0 ? Status.UNAVAILABLE : 'answer');
    events.viewed(8, 101);
    events.viewed(8, 102);
    expect(await events.flush(10_000)).toBe(0);
    const [failed, resent] = server.events.batches;
    expect(resent?.map((e) => e.eventId)).toEqual(failed?.map((e) => e.eventId));
    expect(server.events.stored.map((e) => e.bookId)).toEqual([101, 102]);
    expect(server.calls.filter((c) => c.method === 'RecordEvents')).toHaveLength(2);
    // The sender saw the failure and resent (the channel's retry policy, were it to cover
    // RecordEvents, would replay the stream itself, hiding the failure and buffering every message).
    expect(await metric('marketplace_reader_events_sent_total')).toBe(4);
    expect(logs.filter((l) => l.msg.startsWith('RecordEvents stream ended;'))).toHaveLength(1);
  });

  it('takes an idle stream recycled by the server (its maximum connection age) calmly', async () => {
    await start(100, { 'grpc.max_connection_age_ms': 100, 'grpc.max_connection_age_grace_ms': 50 });
    events.viewed(12, 101);
    expect(await events.flush(10_000)).toBe(0);
    await waitFor(() => logs.some((l) => l.msg === 'idle RecordEvents stream ended'));
    events.viewed(12, 102);
    expect(await events.flush(10_000)).toBe(0);
    expect(server.events.stored.map((e) => e.bookId)).toEqual([101, 102]);
    expect(logs.filter((l) => l.level >= 40)).toEqual([]);
  });

  it('keeps the events, and the process, when the channel is already closed', async () => {
    await start();
    client.close();
    events.viewed(13, 101);
    await waitFor(() => logs.some((l) => l.msg === 'could not open a RecordEvents stream'));
    expect(await events.flush(0)).toBe(1);
  });

  it('drops the oldest events when full, counts each, and logs at most once a minute', async () => {
    await start(3);
    // In one turn of the event loop: nothing has been sent yet.
    for (let book = 101; book <= 105; book++) events.viewed(9, book);
    expect(await metric('marketplace_reader_events_dropped_total')).toBe(2);
    clock += DROP_LOG_INTERVAL_MS;
    events.viewed(9, 106);
    expect(await metric('marketplace_reader_events_dropped_total')).toBe(3);
    const warnings = logs.filter((l) => l.msg.startsWith('reader events outbox full'));
    expect(warnings.map((l) => l.dropped)).toEqual([1, 2]);
    expect(await events.flush(10_000)).toBe(0);
    expect(server.events.stored.map((e) => e.bookId)).toEqual([104, 105, 106]);
  });

  it('keeps at most 4 batches unanswered, and flush says how many events are left', async () => {
    await start();
    server.events.onBatch = () => 'hold';
    for (let book = 101; book <= 109; book++) {
      events.viewed(10, book);
      // A turn of the event loop each, so each view goes out as a batch of its own.
      await new Promise((resolve) => setImmediate(resolve));
    }
    await server.waitForCalls((c) => c.method === 'RecordEvents');
    await waitFor(() => server.events.batches.length >= 4);
    // flush(100) gives the stream 100 ms more: a fifth batch, had it been sent with the first
    // four during the loop above, arrives within it.
    expect(await events.flush(100)).toBe(9);
    expect(server.events.batches).toHaveLength(4);
    expect(await metric('marketplace_reader_events_queued')).toBe(9);
  });
});
