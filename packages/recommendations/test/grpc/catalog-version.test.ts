import { BookCategory, CATALOG_VERSION_METADATA, ListBooksRequest } from '@bookstore/contracts';
import type { Metadata, StatusObject } from '@grpc/grpc-js';
import { once } from 'node:events';
import { BOOKS } from '../../src/domain/books';
import { createCatalog } from '../../src/domain/catalog';
import { catalogVersion } from '../../src/domain/catalog-version';
import { withTestServer } from '../support/with-test-server';

describe('the catalog version', () => {
  const t = withTestServer();

  it('is a hash of the books in id order: the same books give it whatever their order, any change another', () => {
    const version = catalogVersion(createCatalog(BOOKS));
    expect(version).toMatch(/^[0-9a-f]{16}$/);
    expect(catalogVersion(createCatalog([...BOOKS].reverse()))).toBe(version);
    const renamed = BOOKS.map((b, i) => (i === 0 ? { ...b, title: `${b.title}!` } : b));
    const refiled = BOOKS.map((b, i) => (i === 0 ? { ...b, category: BookCategory.BOOK_CATEGORY_SELF_HELP } : b));
    expect(
      new Set([version, catalogVersion(createCatalog(renamed)), catalogVersion(createCatalog(refiled))]).size,
    ).toBe(3);
  });

  it('comes with every ListBooks answer, in the headers and the trailers, an empty stream too', async () => {
    const expected = catalogVersion(createCatalog(BOOKS, { minPerCategory: 6 }));
    for (const request of [{ limit: 2 }, { startAfterId: 2 ** 31 - 1 }]) {
      const stream = t.server.client.listBooks(ListBooksRequest.create(request), { deadline: Date.now() + 5000 });
      const headers: Metadata[] = [];
      stream.on('metadata', (metadata: Metadata) => headers.push(metadata));
      const books: unknown[] = [];
      stream.on('data', (message) => books.push(message));
      const [status] = (await once(stream, 'status')) as [StatusObject];
      expect(status.code).toBe(0);
      expect(status.metadata.get(CATALOG_VERSION_METADATA)).toEqual([expected]);
      // An empty stream is answered trailers-only: no headers of their own.
      expect(headers.map((h) => h.get(CATALOG_VERSION_METADATA))).toEqual(books.length > 0 ? [[expected]] : []);
    }
  });

  it('comes with every Recommend answer, in the headers and the trailers; with an error, in its trailers', async () => {
    const expected = catalogVersion(createCatalog(BOOKS, { minPerCategory: 6 }));
    const category = BookCategory.BOOK_CATEGORY_MYSTERY;
    // maxResults -1 is refused INVALID_ARGUMENT by the handler.
    for (const maxResults of [2, -1]) {
      const headers: Metadata[] = [];
      const call = t.server.client.recommend({ userId: 1, category, maxResults }, () => undefined);
      call.on('metadata', (metadata: Metadata) => headers.push(metadata));
      const [status] = (await once(call, 'status')) as [StatusObject];
      expect(status.code).toBe(maxResults > 0 ? 0 : 3);
      expect(status.metadata.get(CATALOG_VERSION_METADATA)).toEqual([expected]);
      // An error is answered trailers-only: no headers of its own.
      expect(headers.map((h) => h.get(CATALOG_VERSION_METADATA))).toEqual(maxResults > 0 ? [[expected]] : []);
    }
  });
});
