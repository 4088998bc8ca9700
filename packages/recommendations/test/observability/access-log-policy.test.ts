import { BookCategory } from '@bookstore/contracts';
import { sampleValue } from '@bookstore/test-support';
import { Metadata } from '@grpc/grpc-js';
import { setTimeout as sleep } from 'node:timers/promises';
import { loadConfig } from '../../src/config';
import { BOOKS } from '../../src/domain/books';
import { createCatalog } from '../../src/domain/catalog';
import { createRecommender } from '../../src/domain/recommender';
import { recommend, rejectionOf } from '../support/calls';
import { startTestServer, type TestServer } from '../support/test-server';

const MYSTERY = BookCategory.BOOK_CATEGORY_MYSTERY;

/** Recommend with `x-request-id: id`, answered or refused (an unknown category is NOT_FOUND). */
async function call(server: TestServer, id: string, category = MYSTERY) {
  const metadata = new Metadata();
  metadata.set('x-request-id', id);
  const answer = recommend(server.client, { userId: 1, category, maxResults: 1 }, metadata);
  if (category === MYSTERY) await answer;
  else await rejectionOf(answer);
}

const loggedIds = (server: TestServer) =>
  server.logs.filter((l) => l.msg === 'rpc finished').map((l) => l.requestId as string);

const handledOk = async (server: TestServer) =>
  sampleValue(await server.metrics(), 'grpc_server_handled_total', { grpc_method: 'Recommend', grpc_code: 'OK' });

describe('which calls the access log keeps', () => {
  it('at rate 0 still logs a failure and a slow call, but no fast success; the metrics count all', async () => {
    const real = createRecommender({ catalog: createCatalog(BOOKS, { minPerCategory: 6 }) });
    let slow = false;
    const server = await startTestServer({
      env: { ACCESS_LOG_SAMPLE_RATE: '0', ACCESS_LOG_SLOW_MS: '50' },
      recommender: {
        ...real,
        recommend: async (query) => {
          if (slow) await sleep(80);
          return real.recommend(query);
        },
      },
    });
    try {
      for (let i = 0; i < 5; i += 1) await call(server, `fast-${i}`);
      await call(server, 'refused', 99 as BookCategory);
      slow = true;
      await call(server, 'slow');
      // A fast success is never logged; under heavy load a "fast" call may take 50 ms, and then it is slow.
      const fastLines = server.logs.filter((l) => String(l.requestId).startsWith('fast-'));
      for (const line of fastLines) expect(line.durationMs).toBeGreaterThanOrEqual(50);
      expect(loggedIds(server).filter((id) => !id.startsWith('fast-'))).toEqual(['refused', 'slow']);
      expect(server.logs.find((l) => l.requestId === 'refused')).toMatchObject({ code: 'NOT_FOUND', level: 40 });
      expect(server.logs.find((l) => l.requestId === 'slow')?.durationMs).toBeGreaterThanOrEqual(50);
      expect(await handledOk(server)).toBe(6);
    } finally {
      await server.close();
    }
  });

  it('at rate 1 logs every call', async () => {
    const server = await startTestServer({ env: { ACCESS_LOG_SAMPLE_RATE: '1' } });
    try {
      for (let i = 0; i < 5; i += 1) await call(server, `call-${i}`);
      expect(loggedIds(server)).toEqual(['call-0', 'call-1', 'call-2', 'call-3', 'call-4']);
    } finally {
      await server.close();
    }
  });

  it('between 0 and 1 logs the successes whose draw falls below the rate', async () => {
    const draws = [0.1, 0.9, 0.29, 0.3, 0.05];
    let next = 0;
    const server = await startTestServer({
      env: { ACCESS_LOG_SAMPLE_RATE: '0.3' },
      random: () => draws[next++ % draws.length] as number,
    });
    try {
      for (let i = 0; i < 5; i += 1) await call(server, `call-${i}`);
      await call(server, 'refused', 99 as BookCategory);
      expect(loggedIds(server)).toEqual(['call-0', 'call-2', 'call-4', 'refused']);
      // A failure is logged without a draw.
      expect(next).toBe(5);
    } finally {
      await server.close();
    }
  });
});

describe('the access-log settings', () => {
  it('default to failures, calls over 100 ms and 1 in 100 of the rest', () => {
    expect(loadConfig({}).accessLog).toEqual({ slowMs: 100, sampleRate: 0.01 });
  });

  it('refuse values out of range with one message naming each', () => {
    expect(() => loadConfig({ ACCESS_LOG_SAMPLE_RATE: '2', ACCESS_LOG_SLOW_MS: '-1' })).toThrow(
      /ACCESS_LOG_SLOW_MS must be an integer from 0 to \d+ \(got "-1"\)\n {2}- ACCESS_LOG_SAMPLE_RATE must be a number from 0 to 1, such as 0.01 \(got "2"\)/,
    );
  });
});
