import { BookCategory, RecommendRequest } from '@bookstore/contracts';
import { Metadata, status as Status } from '@grpc/grpc-js';
import { setTimeout as sleep } from 'node:timers/promises';
import { createRecommender } from '../../src/domain/recommender';
import { createCatalog } from '../../src/domain/catalog';
import { BOOKS } from '../../src/domain/books';
import { recommend, rejectionOf } from '../support/calls';
import { createRawClient, unaryWithServerDeadline } from '../support/raw-client';
import { startTestServer } from '../support/test-server';

const MYSTERY = BookCategory.BOOK_CATEGORY_MYSTERY;
const RECOMMEND = '/bookstore.recommendations.v1.RecommendationService/Recommend';

describe('the access log', () => {
  it('writes method, code name, duration, peer and request id; client errors at warn', async () => {
    const server = await startTestServer();
    try {
      await recommend(server.client, { userId: 1, category: MYSTERY, maxResults: 1 });
      await rejectionOf(recommend(server.client, { userId: 1, category: 99 as BookCategory, maxResults: 1 }));
      const lines = server.logs.filter((l) => l.msg === 'rpc finished');
      expect(lines).toEqual([
        expect.objectContaining({
          level: 30,
          method: '/bookstore.recommendations.v1.RecommendationService/Recommend',
          code: 'OK',
        }),
        expect.objectContaining({ level: 40, code: 'NOT_FOUND' }),
      ]);
      const [first] = lines;
      expect(typeof first?.durationMs).toBe('number');
      expect(first?.peer).toMatch(/^127\.0\.0\.1:\d+$/);
      expect(typeof first?.requestId).toBe('string');
      expect(lines[0]).not.toHaveProperty('metadata');
    } finally {
      await server.close();
    }
  });

  it('logs metadata at debug level with credentials redacted', async () => {
    const server = await startTestServer({ env: { LOG_LEVEL: 'debug' } });
    try {
      const metadata = new Metadata();
      metadata.set('authorization', 'Bearer s3cr3t');
      metadata.set('cookie', 'session=s3cr3t');
      metadata.set('x-tenant', 'shelf-1');
      await recommend(server.client, { userId: 1, category: MYSTERY, maxResults: 1 }, metadata);
      const line = server.logs.find((l) => l.msg === 'rpc finished');
      expect(line?.metadata).toMatchObject({
        authorization: '[Redacted]',
        cookie: '[Redacted]',
        'x-tenant': 'shelf-1',
      });
      expect(JSON.stringify(server.logs)).not.toContain('s3cr3t');
    } finally {
      await server.close();
    }
  });

  it('records a passed deadline as DEADLINE_EXCEEDED in the log and the metrics', async () => {
    const real = createRecommender({ catalog: createCatalog(BOOKS) });
    const server = await startTestServer({
      recommender: {
        ...real,
        // A handler waiting on something slow: the server's own deadline timer ends the call.
        recommend: async (query) => {
          await sleep(300);
          return real.recommend(query);
        },
      },
    });
    try {
      const body = RecommendRequest.encode({ userId: 1, category: MYSTERY, maxResults: 1 }).finish();
      expect(await unaryWithServerDeadline(server.address, RECOMMEND, body, '100m')).toBe(Status.DEADLINE_EXCEEDED);
      // The server logs the call when its own deadline timer ends it.
      const line = await server.waitForLog((l) => l.msg === 'rpc finished');
      expect(line).toMatchObject({ code: 'DEADLINE_EXCEEDED', level: 50 });
      expect(await server.metrics()).toMatch(
        /grpc_server_handled_total\{[^}]*grpc_method="Recommend"[^}]*grpc_code="DeadlineExceeded"\} 1/,
      );
    } finally {
      await server.close();
    }
  });

  it('logs a cancelled call at debug and a client-caused INTERNAL (unparseable message) at warn', async () => {
    const real = createRecommender({ catalog: createCatalog(BOOKS, { minPerCategory: 6 }) });
    let arrived: () => void = () => undefined;
    const handlerReached = new Promise<void>((resolve) => (arrived = resolve));
    const server = await startTestServer({
      env: { LOG_LEVEL: 'debug' },
      recommender: {
        ...real,
        // Still working when the client cancels.
        recommend: async (query) => {
          arrived();
          await sleep(300);
          return real.recommend(query);
        },
      },
    });
    const raw = createRawClient(server.address);
    try {
      // Field 1 as a length-delimited field that runs past the end: not a RecommendRequest.
      const { error } = await raw.unary(RECOMMEND, Buffer.from([0x0a, 0x05, 0x01]));
      expect(error?.code).toBe(Status.INTERNAL);
      const call = server.client.recommend({ userId: 1, category: MYSTERY, maxResults: 1 }, () => undefined);
      await handlerReached;
      call.cancel();
      await server.waitForLog((l) => l.msg === 'rpc finished' && l.code === 'CANCELLED');
      const lines = server.logs.filter((l) => l.msg === 'rpc finished');
      expect(lines).toEqual([
        expect.objectContaining({ code: 'INTERNAL', level: 40 }),
        expect.objectContaining({ code: 'CANCELLED', level: 20 }),
      ]);
    } finally {
      raw.close();
      await server.close();
    }
  });
});
