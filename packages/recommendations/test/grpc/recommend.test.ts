import { BookCategory, RECOMMENDATION_SERVICE_NAME } from '@bookstore/contracts';
import { status as Status } from '@grpc/grpc-js';
import { BOOKS } from '../../src/domain/books';
import { recommend, rejectionOf } from '../support/calls';
import { startTestServer } from '../support/test-server';
import { withTestServer } from '../support/with-test-server';

const { BOOK_CATEGORY_MYSTERY: MYSTERY, BOOK_CATEGORY_SELF_HELP: SELF_HELP } = BookCategory;

describe('Recommend over gRPC', () => {
  const t = withTestServer();

  it('answers distinct books of the requested category', async () => {
    const response = await recommend(t.server.client, { userId: 1, category: SELF_HELP, maxResults: 3 });
    expect(response.recommendations).toHaveLength(3);
    const titles = BOOKS.filter((b) => b.category === SELF_HELP);
    for (const rec of response.recommendations) {
      expect(titles).toContainEqual(expect.objectContaining({ id: rec.id, title: rec.title }));
    }
    expect(new Set(response.recommendations.map((r) => r.id)).size).toBe(3);
  });

  it('defaults max_results 0 to 3', async () => {
    const response = await recommend(t.server.client, { userId: 1, category: MYSTERY, maxResults: 0 });
    expect(response.recommendations).toHaveLength(3);
  });

  it.each([
    [{ userId: 1, category: MYSTERY, maxResults: -1 }, Status.INVALID_ARGUMENT, 'max_results must be >= 0 (got -1)'],
    [{ userId: -1, category: MYSTERY, maxResults: 1 }, Status.INVALID_ARGUMENT, 'user_id must be >= 0 (got -1)'],
    [
      { userId: 1, category: BookCategory.BOOK_CATEGORY_UNSPECIFIED, maxResults: 1 },
      Status.INVALID_ARGUMENT,
      'category is required',
    ],
    [{ userId: 1, category: 99 as BookCategory, maxResults: 1 }, Status.NOT_FOUND, 'no books in category 99'],
  ])('answers %o with status %s', async (request, code, details) => {
    const error = await rejectionOf(recommend(t.server.client, request));
    expect(error.code).toBe(code);
    expect(error.details).toBe(details);
  });

  it('logs one line per RPC with method, code and duration', async () => {
    t.server.logs.length = 0;
    await recommend(t.server.client, { userId: 1, category: MYSTERY, maxResults: 1 });
    await rejectionOf(recommend(t.server.client, { userId: 1, category: MYSTERY, maxResults: -1 }));
    const lines = t.server.logs.filter((l) => l.msg === 'rpc finished');
    expect(lines).toEqual([
      expect.objectContaining({
        method: `/${RECOMMENDATION_SERVICE_NAME}/Recommend`,
        code: 'OK',
        level: 30,
      }),
      expect.objectContaining({ code: 'INVALID_ARGUMENT', level: 40 }),
    ]);
    expect(typeof lines[0]?.durationMs).toBe('number');
  });
});

describe('an unexpected error', () => {
  it('reaches the client as a generic INTERNAL and is logged once with its stack', async () => {
    const server = await startTestServer({
      recommender: {
        recommend: () => {
          throw new TypeError('secret detail: db password is hunter2');
        },
        listBooks: () => [],
      },
    });
    try {
      const error = await rejectionOf(recommend(server.client, { userId: 1, category: MYSTERY, maxResults: 1 }));
      expect(error.code).toBe(Status.INTERNAL);
      expect(error.details).toBe('internal error');
      const withStack = server.logs.filter((l) => JSON.stringify(l).includes('hunter2'));
      expect(withStack).toHaveLength(1);
      expect((withStack[0]?.err as { stack: string }).stack).toContain('TypeError');
      expect(server.logs.find((l) => l.msg === 'rpc finished')).toMatchObject({ code: 'INTERNAL', level: 50 });
    } finally {
      await server.close();
    }
  });

  it('is handled the same when the recommender answers with a rejected promise', async () => {
    const server = await startTestServer({
      recommender: {
        recommend: () => Promise.reject(new RangeError('secret detail: shard 7 is down')),
        listBooks: () => [],
      },
    });
    try {
      const error = await rejectionOf(recommend(server.client, { userId: 1, category: MYSTERY, maxResults: 1 }));
      expect(error.code).toBe(Status.INTERNAL);
      expect(error.details).toBe('internal error');
      expect(server.logs.filter((l) => JSON.stringify(l).includes('shard 7'))).toHaveLength(1);
    } finally {
      await server.close();
    }
  });
});
