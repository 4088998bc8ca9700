import { BookCategory, RECOMMENDATION_SERVICE_NAME } from '@bookstore/contracts';
import { sampleValue } from '@bookstore/test-support';
import { BOOKS } from '../../src/domain/books';
import { listBooks, recommend, rejectionOf } from '../support/calls';
import { createRawClient, paddedRecommendRequest } from '../support/raw-client';
import { startTestServer } from '../support/test-server';
import { withTestServer } from '../support/with-test-server';

const SERVICE = RECOMMENDATION_SERVICE_NAME;

describe('Prometheus metrics at /metrics', () => {
  const t = withTestServer();
  beforeAll(async () => {
    await recommend(t.server.client, { userId: 1, category: BookCategory.BOOK_CATEGORY_MYSTERY, maxResults: 1 });
    await recommend(t.server.client, { userId: 1, category: BookCategory.BOOK_CATEGORY_MYSTERY, maxResults: 2 });
    await rejectionOf(
      recommend(t.server.client, { userId: 1, category: BookCategory.BOOK_CATEGORY_MYSTERY, maxResults: -1 }),
    );
    await rejectionOf(recommend(t.server.client, { userId: 1, category: 99 as BookCategory, maxResults: 1 }));
    await listBooks(t.server.client, { category: BookCategory.BOOK_CATEGORY_UNSPECIFIED });
    const raw = createRawClient(t.server.address);
    await raw.unary(`/${SERVICE}/Recommend`, paddedRecommendRequest(1024 * 1024));
    raw.close();
  });

  it('counts handled calls by method and code, with go-grpc-prometheus names', async () => {
    const text = await t.server.metrics();
    const handled = (grpc_method: string, grpc_code: string, grpc_type = 'unary') =>
      sampleValue(text, 'grpc_server_handled_total', { grpc_type, grpc_service: SERVICE, grpc_method, grpc_code });
    expect(handled('Recommend', 'OK')).toBe(2);
    expect(handled('Recommend', 'InvalidArgument')).toBe(1);
    expect(handled('Recommend', 'NotFound')).toBe(1);
    expect(handled('Recommend', 'ResourceExhausted')).toBe(1);
    expect(handled('ListBooks', 'OK', 'server_stream')).toBe(1);
  });

  it('counts started calls, stream messages and handling time', async () => {
    const text = await t.server.metrics();
    const labels = { grpc_type: 'unary', grpc_service: SERVICE, grpc_method: 'Recommend' };
    expect(sampleValue(text, 'grpc_server_started_total', labels)).toBe(5);
    expect(sampleValue(text, 'grpc_server_handling_seconds_count', labels)).toBe(5);
    expect(sampleValue(text, 'grpc_server_handling_seconds_bucket', { ...labels, le: '10' })).toBe(5);
    const stream = { grpc_type: 'server_stream', grpc_service: SERVICE, grpc_method: 'ListBooks' };
    expect(sampleValue(text, 'grpc_server_msg_sent_total', stream)).toBe(BOOKS.length);
    expect(sampleValue(text, 'grpc_server_msg_received_total', stream)).toBe(1);
  });

  it('counts calls to unknown methods as UNIMPLEMENTED under the label "unknown", whatever the path', async () => {
    const raw = createRawClient(t.server.address);
    for (const path of ['/nope.Service/Method', `/${SERVICE}/NoSuchMethod`, '/x/y']) {
      expect((await raw.unary(path, Buffer.alloc(0))).error?.code).toBe(12);
    }
    raw.close();
    const text = await t.server.metrics();
    const labels = { grpc_type: 'unknown', grpc_service: 'unknown', grpc_method: 'unknown' };
    expect(sampleValue(text, 'grpc_server_handled_total', { ...labels, grpc_code: 'Unimplemented' })).toBe(3);
    expect(sampleValue(text, 'grpc_server_started_total', labels)).toBe(3);
    expect(text).not.toMatch(/NoSuchMethod|nope/);
  });

  it('counts the calls refused before a handler ran, for what the client sent, in grpc_server_rejected_total', async () => {
    const text = await t.server.metrics();
    const labels = { grpc_type: 'unary', grpc_service: SERVICE, grpc_method: 'Recommend' };
    const rejected = (grpc_code: string) => sampleValue(text, 'grpc_server_rejected_total', { ...labels, grpc_code });
    expect(rejected('ResourceExhausted')).toBe(1); // the 1 MiB request of beforeAll
    // Answered by the handler: not rejected, whatever the code.
    expect(rejected('OK')).toBeUndefined();
    expect(rejected('InvalidArgument')).toBeUndefined();
    expect(rejected('NotFound')).toBeUndefined();
  });

  it('includes the default Node process metrics', async () => {
    const text = await t.server.metrics();
    expect(text).toMatch(/^process_cpu_user_seconds_total \d/m);
    expect(text).toMatch(/^nodejs_heap_size_used_bytes \d/m);
    expect(text).toContain('# TYPE grpc_server_handling_seconds histogram');
  });

  it('reports readiness: 1 once started', async () => {
    expect(sampleValue(await t.server.metrics(), 'recommendations_ready', {})).toBe(1);
  });

  it('answers 404 off /metrics', async () => {
    expect((await fetch(`http://127.0.0.1:${t.server.ports.metricsPort}/other`)).status).toBe(404);
  });
});

describe('the readiness gauge', () => {
  it('drops to 0 as soon as a real server starts draining, while an in-flight call holds it open', async () => {
    let release = () => {};
    let reached = () => {};
    const held = new Promise<void>((resolve) => (release = resolve));
    const inHandler = new Promise<void>((resolve) => (reached = resolve));
    const server = await startTestServer({
      recommender: {
        recommend: async () => {
          reached();
          await held;
          return [];
        },
        listBooks: () => [],
      },
    });
    const ready = async () => sampleValue(await server.metrics(), 'recommendations_ready', {});
    try {
      expect(await ready()).toBe(1);
      const inFlight = recommend(server.client, {
        userId: 1,
        category: BookCategory.BOOK_CATEGORY_MYSTERY,
        maxResults: 1,
      });
      await inHandler;
      const stopped = server.stop();
      expect(await ready()).toBe(0);
      release();
      await inFlight;
      await stopped;
    } finally {
      release();
      await server.close();
    }
  });
});
