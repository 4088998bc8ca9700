import { RECOMMENDATION_SERVICE_NAME, ReaderEventKind } from '@bookstore/contracts';
import { sampleValue } from '@bookstore/test-support';
import { status as Status } from '@grpc/grpc-js';
import { setTimeout as sleep } from 'node:timers/promises';
import { SHUTTING_DOWN } from '../../src/grpc/handler-adapters';
import { openRecordEvents } from '../support/calls';
import { createMemoryStore } from '../support/memory-store';
import { withTestServer } from '../support/with-test-server';

const VIEWED = ReaderEventKind.READER_EVENT_KIND_VIEWED;
const view = (eventId: string, userId = 7, bookId = 1) => ({ eventId, userId, bookId, kind: VIEWED });

describe('RecordEvents', () => {
  const t = withTestServer({ store: createMemoryStore, env: { MAX_RECORD_EVENTS_STREAMS: '2' } }, { perTest: true });

  it('stores a batch, answers its ids, and stores a resent id once', async () => {
    const stream = openRecordEvents(t.server.client);
    expect(await stream.send([view('a'), view('b', 7, 2)])).toEqual({ storedEventIds: ['a', 'b'], rejected: [] });
    expect(await stream.send([view('b', 7, 2), view('c', 7, 3)])).toEqual({ storedEventIds: ['b', 'c'], rejected: [] });
    expect(t.store.log.map((event) => event.eventId)).toEqual(['a', 'b', 'c']);
    expect((await stream.end()).code).toBe(Status.OK);
    const metrics = await t.server.metrics();
    expect(metrics).toContain('recommendations_reader_events_total{outcome="stored"} 3');
    expect(metrics).toContain('recommendations_reader_events_total{outcome="duplicate"} 1');
    const labels = { grpc_type: 'bidi_stream', grpc_service: RECOMMENDATION_SERVICE_NAME, grpc_method: 'RecordEvents' };
    expect(sampleValue(metrics, 'grpc_server_msg_received_total', labels)).toBe(2);
    expect(sampleValue(metrics, 'grpc_server_msg_sent_total', labels)).toBe(2);
    expect(sampleValue(metrics, 'grpc_server_handled_total', { ...labels, grpc_code: 'OK' })).toBe(1);
  });

  it('rejects bad events one by one, with reasons, and keeps the stream open', async () => {
    const stream = openRecordEvents(t.server.client);
    const farFuture = new Date(Date.now() + 60 * 60 * 1000);
    const longId = 'x'.repeat(65);
    const answer = await stream.send([
      view('ok-1'),
      view('unknown-book', 7, 99),
      view('anonymous', 0),
      view(longId),
      { ...view('future'), occurredAt: farFuture },
      { ...view('no-kind'), kind: ReaderEventKind.READER_EVENT_KIND_UNSPECIFIED },
      view(''),
    ]);
    expect(answer).toEqual({
      storedEventIds: ['ok-1'],
      rejected: [
        { eventId: 'unknown-book', reason: 'unknown book 99' },
        { eventId: 'anonymous', reason: 'user_id must be >= 1 (got 0)' },
        { eventId: 'x'.repeat(64), reason: 'event_id must be 1 to 64 bytes (got 65)' },
        { eventId: 'future', reason: 'occurred_at is more than 5 minutes in the future' },
        { eventId: 'no-kind', reason: 'kind is required' },
        { eventId: '', reason: 'event_id must be 1 to 64 bytes (got 0)' },
      ],
    });

    const tooMany = Array.from({ length: 501 }, (_, i) => view(`big-${i}`));
    const refused = await stream.send(tooMany);
    expect(refused.storedEventIds).toEqual([]);
    expect(refused.rejected).toHaveLength(501);
    expect(new Set(refused.rejected.map((r) => r.reason))).toEqual(
      new Set(['a batch holds 1 to 500 events (got 501)']),
    );

    expect(await stream.send([])).toEqual({
      storedEventIds: [],
      rejected: [{ eventId: '', reason: 'a batch holds 1 to 500 events (got 0)' }],
    });
    // Still open: the next good batch is stored.
    expect(await stream.send([view('ok-2')])).toEqual({ storedEventIds: ['ok-2'], rejected: [] });
    expect((await stream.end()).code).toBe(Status.OK);
    expect(t.store.log.map((event) => event.eventId)).toEqual(['ok-1', 'ok-2']);
    expect(await t.server.metrics()).toContain('recommendations_reader_events_total{outcome="rejected"} 507');
  });

  it('ends the stream with UNAVAILABLE when the store fails, acknowledging nothing', async () => {
    const stream = openRecordEvents(t.server.client);
    expect((await stream.send([view('before')])).storedEventIds).toEqual(['before']);
    t.store.mode = 'fail';
    await expect(stream.send([view('during')])).rejects.toMatchObject({ code: Status.UNAVAILABLE });
    expect(t.store.log.map((event) => event.eventId)).toEqual(['before']);
    await t.server.waitForLog((line) => line.msg === 'event store failed');
    // The sender reconnects and resends once the store is back.
    t.store.mode = 'ok';
    const again = openRecordEvents(t.server.client);
    expect((await again.send([view('during')])).storedEventIds).toEqual(['during']);
    await again.end();
  });

  it('handles one batch at a time: while the store is busy the stream is not read; a cancel ends the call at once and stops the work', async () => {
    let release = () => undefined as void;
    t.store.appendGate = new Promise<void>((resolve) => (release = resolve));
    const stream = openRecordEvents(t.server.client);
    // Batches of several HTTP/2 frames each, so Node holds unread data when the cancel comes.
    const batch = (n: number) => Array.from({ length: 300 }, (_, i) => view(`slow-${n}-${i}`.padEnd(60, '.')));
    const answers = [1, 2, 3, 4, 5].map((n) => stream.send(batch(n)).catch((error: unknown) => error));
    for (let tries = 0; t.store.appendCalls === 0 && tries < 50; tries += 1) await sleep(20);
    stream.call.cancel();
    await stream.status;
    // The server sees the cancel while the store is still busy (the call ends, its place is
    // freed), not only once the batch in flight is done.
    const cancelled = /grpc_server_handled_total\{[^}]*grpc_method="RecordEvents",grpc_code="Canceled"\} 1/;
    for (let tries = 0; !cancelled.test(await t.server.metrics()) && tries < 50; tries += 1) await sleep(20);
    expect(await t.server.metrics()).toMatch(cancelled);
    // The cancel left the client after the batches, on the same connection: a server reading
    // them while the store was busy had them before it saw the cancel.
    expect(t.store.appendCalls).toBe(1);
    release();
    await Promise.all(answers);
    // The batch in flight completes inside the store; a request to the server after that (its
    // /metrics, a round trip on loopback) lets a handler that went on reading get to the next.
    for (let tries = 0; t.store.log.length < 300 && tries < 250; tries += 1) await sleep(20);
    expect(t.store.log).toHaveLength(300);
    await t.server.metrics();
    // The four behind it were never handled.
    expect(t.store.appendCalls).toBe(1);
  });

  it('keeps at most MAX_RECORD_EVENTS_STREAMS open: further ones get RESOURCE_EXHAUSTED, a closed one frees its place', async () => {
    const held = [openRecordEvents(t.server.client), openRecordEvents(t.server.client)];
    for (const [i, stream] of held.entries()) await stream.send([view(`held-${i}`)]);
    const third = openRecordEvents(t.server.client);
    await expect(third.send([view('third')])).rejects.toMatchObject({
      code: Status.RESOURCE_EXHAUSTED,
      details: 'too many RecordEvents streams open (2); retry later',
    });
    await held[0]?.end();
    // The server sees the end soon after the client: retried until then (at most 2 s).
    let stored: string[] | undefined;
    for (let tries = 0; stored === undefined && tries < 20; tries += 1) {
      const next = openRecordEvents(t.server.client);
      stored = await next.send([view('fourth')]).then(
        async (answer) => {
          await next.end();
          return answer.storedEventIds;
        },
        () => sleep(100).then(() => undefined),
      );
    }
    expect(stored).toEqual(['fourth']);
    await held[1]?.end();
  });

  it('ends open streams with UNAVAILABLE at shutdown, once the batch in flight is answered', async () => {
    const idle = openRecordEvents(t.server.client);
    await idle.send([view('idle-1')]);
    const busy = openRecordEvents(t.server.client);
    let release = () => undefined as void;
    t.store.appendGate = new Promise<void>((resolve) => (release = resolve));
    const inFlight = busy.send([view('busy-1')]);
    for (let tries = 0; t.store.appendCalls < 2 && tries < 50; tries += 1) await sleep(20);
    const stopped = t.server.stop();
    expect(await idle.status).toMatchObject({ code: Status.UNAVAILABLE, details: SHUTTING_DOWN });
    release();
    expect(await inFlight).toEqual({ storedEventIds: ['busy-1'], rejected: [] });
    expect(await busy.status).toMatchObject({ code: Status.UNAVAILABLE });
    // Without the streams' end, stop() would wait for SHUTDOWN_GRACE_MS (the test server's 2 s).
    await stopped;
  });
});
