import { BookCategory, ListBooksRequest, type ListBooksResponse } from '@bookstore/contracts';
import { status as Status } from '@grpc/grpc-js';
import { setTimeout as sleep } from 'node:timers/promises';
import { BOOKS, type CatalogBook } from '../../src/domain/books';
import { listBooks, recommend, rejectionOf } from '../support/calls';
import { startTestServer } from '../support/test-server';

describe('ListBooks over gRPC', () => {
  it('streams the whole catalog in id order for UNSPECIFIED, and one category on request', async () => {
    const server = await startTestServer();
    try {
      const all = await listBooks(server.client, { category: BookCategory.BOOK_CATEGORY_UNSPECIFIED });
      const sorted = [...BOOKS].sort((a, b) => a.id - b.id);
      expect(all.map((m) => m.book)).toEqual(sorted.map((b) => ({ ...b })));

      const mystery = await listBooks(server.client, { category: BookCategory.BOOK_CATEGORY_MYSTERY });
      expect(mystery.map((m) => m.book?.id)).toEqual(
        sorted.filter((b) => b.category === BookCategory.BOOK_CATEGORY_MYSTERY).map((b) => b.id),
      );
    } finally {
      await server.close();
    }
  });

  it('ends with NOT_FOUND for a category number with no books', async () => {
    const server = await startTestServer();
    try {
      const error = await rejectionOf(listBooks(server.client, { category: 77 as BookCategory }));
      expect(error.code).toBe(Status.NOT_FOUND);
    } finally {
      await server.close();
    }
  });

  it('stops producing promptly when the client cancels mid-stream', async () => {
    const total = 1_000_000;
    let produced = 0;
    const book: CatalogBook = { id: 1, title: 'T', author: 'A', category: BookCategory.BOOK_CATEGORY_MYSTERY };
    const server = await startTestServer({
      env: { LOG_LEVEL: 'debug' }, // CANCELLED is logged at debug
      recommender: {
        recommend: () => [],
        *listBooks() {
          for (let i = 1; i <= total; i += 1) {
            produced += 1;
            yield { ...book, id: i };
          }
        },
      },
    });
    try {
      const call = server.client.listBooks(ListBooksRequest.create({ category: BookCategory.BOOK_CATEGORY_UNSPECIFIED }));
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
      await sleep(300);
      const afterCancel = produced;
      await sleep(300);
      // Backpressure bounds what was produced before the cancel arrived; nothing after it.
      expect(afterCancel).toBeLessThan(total / 10);
      expect(produced).toBe(afterCancel);
      expect(server.logs.find((l) => l.msg === 'rpc finished')).toMatchObject({ code: 'CANCELLED' });
      // The server still serves.
      await expect(recommend(server.client, { userId: 1, category: 1, maxResults: 1 })).resolves.toBeDefined();
    } finally {
      await server.close();
    }
  });
});
