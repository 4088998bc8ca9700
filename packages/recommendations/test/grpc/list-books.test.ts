import { BookCategory, ListBooksRequest, type ListBooksResponse } from '@bookstore/contracts';
import { status as Status } from '@grpc/grpc-js';
import { BOOKS, type CatalogBook } from '../../src/domain/books';
import { once } from 'node:events';
import { setTimeout as sleep } from 'node:timers/promises';
import { createCatalog } from '../../src/domain/catalog';
import { createRecommender, MAX_PAGE_SIZE } from '../../src/domain/recommender';
import { listBooks, recommend, rejectionOf } from '../support/calls';
import { createRawClient } from '../support/raw-client';
import { startTestServer } from '../support/test-server';
import { withTestServer } from '../support/with-test-server';

const MYSTERY = BookCategory.BOOK_CATEGORY_MYSTERY;

describe('ListBooks over gRPC', () => {
  // Queries only: one server, with the default catalog, for the tests that need nothing else.
  const t = withTestServer();

  it('streams the whole catalog in id order for UNSPECIFIED, and one category on request', async () => {
    const all = await listBooks(t.server.client, { category: BookCategory.BOOK_CATEGORY_UNSPECIFIED });
    const sorted = [...BOOKS].sort((a, b) => a.id - b.id);
    expect(all.map((m) => m.book)).toEqual(sorted.map((b) => ({ ...b })));

    const mystery = await listBooks(t.server.client, { category: BookCategory.BOOK_CATEGORY_MYSTERY });
    expect(mystery.map((m) => m.book?.id)).toEqual(
      sorted.filter((b) => b.category === BookCategory.BOOK_CATEGORY_MYSTERY).map((b) => b.id),
    );
  });

  it('ends with NOT_FOUND for a category number with no books', async () => {
    const error = await rejectionOf(listBooks(t.server.client, { category: 77 as BookCategory }));
    expect(error.code).toBe(Status.NOT_FOUND);
  });

  it('stops producing promptly when the client cancels mid-stream', async () => {
    const total = 1_000_000;
    let produced = 0;
    // The server closes the generator (its `finally` runs) when it stops reading it: after that
    // nothing more can be produced.
    let closed: () => void = () => undefined;
    const generatorClosed = new Promise<void>((resolve) => (closed = resolve));
    const book: CatalogBook = { id: 1, title: 'T', author: 'A', category: BookCategory.BOOK_CATEGORY_MYSTERY };
    const server = await startTestServer({
      env: { LOG_LEVEL: 'debug' }, // CANCELLED is logged at debug
      recommender: {
        recommend: () => [],
        *listBooks() {
          try {
            for (let i = 1; i <= total; i += 1) {
              produced += 1;
              yield { ...book, id: i };
            }
          } finally {
            closed();
          }
        },
      },
    });
    try {
      const call = server.client.listBooks(
        ListBooksRequest.create({ category: BookCategory.BOOK_CATEGORY_UNSPECIFIED }),
      );
      const received: ListBooksResponse[] = [];
      await new Promise<void>((resolve) => {
        call.on('data', (message: ListBooksResponse) => {
          received.push(message);
          if (received.length === 5) {
            call.cancel();
            resolve();
          }
        });
        call.on('error', () => undefined);
      });
      await generatorClosed;
      // Backpressure bounds what was produced before the cancel arrived.
      expect(produced).toBeLessThan(total / 10);
      const line = await server.waitForLog((l) => l.msg === 'rpc finished');
      expect(line).toMatchObject({ code: 'CANCELLED' });
      // The server still serves.
      expect(await recommend(server.client, { userId: 1, category: MYSTERY, maxResults: 1 })).toEqual({
        recommendations: [],
      });
    } finally {
      await server.close();
    }
  });

  it('answers a window: after an id, or the last books before one, at most `limit`', async () => {
    const ids = async (request: Parameters<typeof listBooks>[1]) =>
      (await listBooks(t.server.client, request)).map((m) => m.book?.id);
    expect(await ids({ limit: 4 })).toEqual([1, 2, 3, 4]);
    expect(await ids({ startAfterId: 4, limit: 4 })).toEqual([5, 6, 7, 8]);
    expect(await ids({ endBeforeId: 5, limit: 2 })).toEqual([3, 4]);
    expect(await ids({ category: BookCategory.BOOK_CATEGORY_MYSTERY, startAfterId: 3, limit: 2 })).toEqual([10, 11]);
    expect(await ids({ startAfterId: 18 })).toEqual([]);
  });

  it.each([
    [{ limit: MAX_PAGE_SIZE + 1 }, `limit must be 0 to ${MAX_PAGE_SIZE} (got ${MAX_PAGE_SIZE + 1})`],
    [{ limit: -1 }, `limit must be 0 to ${MAX_PAGE_SIZE} (got -1)`],
    [{ startAfterId: -1 }, 'start_after_id must be >= 0 (got -1)'],
    [{ startAfterId: 1, endBeforeId: 9 }, 'start_after_id and end_before_id cannot be combined'],
  ])('ends %o with INVALID_ARGUMENT', async (request, details) => {
    const error = await rejectionOf(listBooks(t.server.client, request));
    expect({ code: error.code, details: error.details }).toEqual({ code: Status.INVALID_ARGUMENT, details });
  });

  it('serves a request encoded before the paging fields existed (an old client) the whole catalog', async () => {
    const raw = createRawClient(t.server.address);
    try {
      // What a client built from the previous contract sends: field 1 (category) alone, or nothing.
      const path = '/bookstore.recommendations.v1.RecommendationService/ListBooks';
      expect(await raw.serverStream(path, Buffer.from([0x08, 0x01]))).toEqual({ error: null, messages: 6 });
      expect(await raw.serverStream(path, Buffer.alloc(0))).toEqual({ error: null, messages: BOOKS.length });
    } finally {
      raw.close();
    }
  });

  it('respects flow control: a paused reader of a large catalog stops the server, and gets every book when it reads', async () => {
    const total = 50_000;
    const catalog = createCatalog(
      (function* books() {
        for (let id = 1; id <= total; id += 1)
          yield { id, title: `Title ${id}`, author: 'Author', category: (id % 3) + 1 };
      })(),
      { capacity: total },
    );
    const real = createRecommender({ catalog });
    let produced = 0;
    const server = await startTestServer({
      recommender: {
        recommend: (query) => real.recommend(query),
        *listBooks(query) {
          for (const book of real.listBooks(query)) {
            produced += 1;
            yield book;
          }
        },
      },
    });
    try {
      const call = server.client.listBooks(ListBooksRequest.create({}), { deadline: Date.now() + 60_000 });
      await once(call, 'data');
      call.pause();
      // Until production stops: the server's buffers and the windows are full (checked every
      // 100 ms, at most 10 s). Without flow control all 50,000 would be produced at once.
      let last = -1;
      for (let waited = 0; waited < 10_000 && produced !== last; waited += 100) {
        last = produced;
        await sleep(100);
      }
      expect(produced).toBe(last);
      // What the HTTP/2 windows and the stream's buffer hold: ~4,100 books (~165 KB) measured,
      // the same for any catalog size.
      expect(produced).toBeLessThan(10_000);
      // A Recommend is answered meanwhile.
      await expect(recommend(server.client, { userId: 1, category: 1, maxResults: 3 })).resolves.toBeDefined();
      let received = 1;
      let lastId = 0;
      call.on('data', (message: ListBooksResponse) => {
        received += 1;
        lastId = message.book?.id ?? 0;
      });
      call.resume();
      await once(call, 'end');
      expect({ received, lastId, produced }).toEqual({ received: total, lastId: total, produced: total });
    } finally {
      await server.close();
    }
  });

  it('keeps at most MAX_LIST_BOOKS_STREAMS open: further calls get RESOURCE_EXHAUSTED, a finished one frees its place', async () => {
    const book: CatalogBook = { id: 1, title: 'T', author: 'A', category: BookCategory.BOOK_CATEGORY_MYSTERY };
    const server = await startTestServer({
      env: { MAX_LIST_BOOKS_STREAMS: '2' },
      recommender: {
        recommend: () => [],
        *listBooks(query) {
          for (let id = 1; id <= (query.limit || 1_000_000); id += 1) yield { ...book, id };
        },
      },
    });
    try {
      // Two readers that stop reading: their calls stay open.
      const held = [1, 2].map(() => server.client.listBooks(ListBooksRequest.create({})));
      for (const call of held) {
        call.on('error', () => undefined);
        await once(call, 'data');
        call.pause();
      }
      const third = await rejectionOf(listBooks(server.client, { limit: 1 }));
      expect({ code: third.code, details: third.details }).toEqual({
        code: Status.RESOURCE_EXHAUSTED,
        details: 'too many ListBooks streams open (2); retry later',
      });
      const cancelled = new Promise((resolve) => held[0]?.on('status', resolve));
      held[0]?.cancel();
      await cancelled;
      // The server sees the cancel soon after the client: retried until then (at most 2 s).
      let answered: ListBooksResponse[] | undefined;
      for (let tries = 0; answered === undefined && tries < 20; tries += 1) {
        answered = await listBooks(server.client, { limit: 1 }).catch(() => sleep(100).then(() => undefined));
      }
      expect(answered?.map((m) => m.book?.id)).toEqual([1]);
      held[1]?.cancel();
    } finally {
      await server.close();
    }
  });
});
