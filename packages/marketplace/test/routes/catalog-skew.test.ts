import type { Book, BookCategory } from '@bookstore/contracts';
import { startFakeRecommendations } from '../support/fake-recommendations';
import { syntheticBooks } from '../support/large-catalog';
import { html, withBookstore } from '../support/test-app';

/** A category a newer contract may add (4 is the next free number): unknown to this build. */
const NEWER_CATEGORY = 4 as BookCategory;

/** 120 books; every third one (ids 3, 6, …) filed under the newer category. */
const books: Book[] = syntheticBooks(120).map((book) =>
  book.id % 3 === 0 ? { ...book, category: NEWER_CATEGORY } : book,
);

type ApiPage = { books: { id: number; category: string }[]; next: string | null; previous: string | null };

describe('books of a category this Marketplace does not know (a newer Recommendations)', () => {
  const t = withBookstore(() => startFakeRecommendations({ books }));

  it('lists them under "Other" on /books: every page full, every book once along the next links', async () => {
    const seen: string[] = [];
    for (let url: string | undefined = '/books'; url !== undefined;) {
      const response = await t.app.inject(url);
      expect(response.statusCode).toBe(200);
      const page = html(response.body);
      const titles = page.querySelectorAll('.book-title').map((e) => e.text);
      expect(titles.length).toBe(url === '/books?after=100' ? 20 : 50);
      expect(page.querySelectorAll('main section h2').map((h) => h.text)).toEqual([
        'Mystery',
        'Science fiction',
        'Other',
      ]);
      seen.push(...titles);
      url = page.querySelector('nav.pager a[rel="next"]')?.getAttribute('href');
    }
    expect(seen.sort()).toEqual(books.map((b) => b.title).sort());
  });

  it('answers them in the API as category "other", known categories as before, every book once', async () => {
    const seen: ApiPage['books'] = [];
    for (let url: string | null = '/api/v1/books'; url !== null;) {
      const response: { statusCode: number; json<T>(): T } = await t.app.inject(url);
      expect(response.statusCode).toBe(200);
      const page: ApiPage = response.json<ApiPage>();
      expect(page.books).toHaveLength(url === '/api/v1/books?after=100' ? 20 : 50);
      seen.push(...page.books);
      url = page.next;
    }
    expect(seen.map((b) => b.id)).toEqual(books.map((b) => b.id));
    expect(seen.slice(0, 3)).toEqual([
      { id: 1, title: 'Title 1', author: 'Author 1', category: 'mystery' },
      { id: 2, title: 'Title 2', author: 'Author 2', category: 'science-fiction' },
      { id: 3, title: 'Title 3', author: 'Author 3', category: 'other' },
    ]);
    const one = await t.app.inject('/api/v1/books/3');
    expect(one.statusCode).toBe(200);
    expect(one.json<{ book: unknown }>().book).toEqual({
      id: 3,
      title: 'Title 3',
      author: 'Author 3',
      category: 'other',
    });
  });

  it('documents "other" as a category a book may answer with, not one to ask for', async () => {
    const doc = (await t.app.inject('/openapi.json')).json<{
      paths: Record<string, { get: { parameters: { name: string; schema: { enum?: string[] } }[] } }>;
      components?: unknown;
    }>();
    expect(JSON.stringify(doc)).toContain('"other"');
    const category = doc.paths['/api/v1/books']?.get.parameters.find((p) => p.name === 'category');
    expect(category?.schema.enum).toEqual(['mystery', 'science-fiction', 'self-help']);
  });
});

describe('pages of two catalog versions (replicas of different catalogs, a catalog rollout)', () => {
  let version = 'aaaa1111';
  const t = withBookstore(() =>
    startFakeRecommendations({ books: syntheticBooks(120), catalogVersion: () => version }),
  );
  beforeEach(() => {
    version = 'aaaa1111';
  });

  it("names the version of each page in a Catalog-Version header, and in the pages' links (the API's stay as v1 wrote them)", async () => {
    const first = await t.app.inject('/api/v1/books');
    expect(first.headers['catalog-version']).toBe('aaaa1111');
    expect(first.json<ApiPage>()).toMatchObject({ next: '/api/v1/books?after=50', previous: null });
    const second = await t.app.inject('/api/v1/books?after=50&catalogVersion=aaaa1111');
    expect(second.statusCode).toBe(200);
    expect(second.json<ApiPage>().previous).toBe('/api/v1/books?before=51');
    const page = await t.app.inject('/books');
    expect(page.headers['catalog-version']).toBe('aaaa1111');
    expect(html(page.body).querySelector('nav.pager a[rel="next"]')?.getAttribute('href')).toBe(
      '/books?after=50&catalogVersion=aaaa1111',
    );
  });

  it('answers a link made under another version 409, naming both and the first page', async () => {
    const first = await t.app.inject('/api/v1/books?category=mystery&limit=10');
    // An API client opts in: its next link plus the version the first page named.
    const next = `${first.json<ApiPage>().next as string}&catalogVersion=${String(first.headers['catalog-version'])}`;
    version = 'bbbb2222';
    const api = await t.app.inject(next);
    expect(api.statusCode).toBe(409);
    expect(api.headers['catalog-version']).toBe('bbbb2222');
    expect(api.json()).toEqual({
      statusCode: 409,
      error: 'Conflict',
      message:
        'The catalog changed while you were paging (version aaaa1111, now bbbb2222). ' +
        'Start again from the first page: /api/v1/books?category=mystery&limit=10',
    });
    const page = await t.app.inject('/books?after=50&catalogVersion=aaaa1111');
    expect(page.statusCode).toBe(409);
    expect(page.headers['catalog-version']).toBe('bbbb2222');
    expect(html(page.body).querySelector('h1')?.text).toBe('The catalog has changed');
  });

  it('still answers links without a version (made before versions, or bookmarked) and refuses a malformed one', async () => {
    version = 'bbbb2222';
    expect((await t.app.inject('/api/v1/books?after=50')).statusCode).toBe(200);
    expect((await t.app.inject('/books?after=50')).statusCode).toBe(200);
    expect((await t.app.inject('/api/v1/books?after=50&catalogVersion=%3Cscript%3E')).statusCode).toBe(400);
  });
});
