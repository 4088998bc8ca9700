import { BookCategory } from '@bookstore/contracts';
import { FAKE_BOOKS, recommendRequest, startFakeRecommendations } from '../support/fake-recommendations';
import { syntheticBooks } from '../support/large-catalog';
import { withBookstore } from '../support/test-app';

describe('the JSON API', () => {
  const t = withBookstore();

  it('GET /api/v1/recommendations answers { recommendations: [{ id, title }] }', async () => {
    const response = await t.app.inject('/api/v1/recommendations?category=self-help&max=2&user=7');
    expect(response.statusCode).toBe(200);
    expect(response.headers['content-type']).toContain('application/json');
    const selfHelp = FAKE_BOOKS.filter((b) => b.category === BookCategory.BOOK_CATEGORY_SELF_HELP);
    expect(response.json()).toEqual({ recommendations: selfHelp.slice(0, 2).map(({ id, title }) => ({ id, title })) });
    // `user` is accepted but never names whose picks these are (another reader's would show what
    // they viewed): the call is for a reader not seen before.
    const sent = recommendRequest(t.server.calls.at(-1)!);
    expect(sent).toMatchObject({ category: BookCategory.BOOK_CATEGORY_SELF_HELP, maxResults: 2 });
    expect(sent.userId).toBe(0); // ?user never personalises: anonymous
  });

  it('defaults to 3 mystery books for an anonymous reader (user 0)', async () => {
    const response = await t.app.inject('/api/v1/recommendations');
    expect(response.json<{ recommendations: unknown[] }>().recommendations).toHaveLength(3);
    const sent = recommendRequest(t.server.calls.at(-1)!);
    expect(sent).toMatchObject({ category: BookCategory.BOOK_CATEGORY_MYSTERY, maxResults: 3 });
    expect(sent.userId).toBe(0); // anonymous: random picks, as before picks were personal
  });

  it('GET /api/v1/books answers a page of every book, or of one category', async () => {
    const all = (await t.app.inject('/api/v1/books')).json<{ books: { id: number; category: string }[] }>();
    expect(all.books.map((b) => b.id)).toEqual(FAKE_BOOKS.map((b) => b.id));
    expect(all.books[0]).toEqual({ ...FAKE_BOOKS[0], category: 'mystery' });
    const scifi = (await t.app.inject('/api/v1/books?category=science-fiction')).json<{
      books: { id: number; category: string }[];
    }>();
    const expected = FAKE_BOOKS.filter((b) => b.category === BookCategory.BOOK_CATEGORY_SCIENCE_FICTION);
    expect(scifi.books).toEqual(expected.map((b) => ({ ...b, category: 'science-fiction' })));
  });

  it.each([
    ['/api/v1/recommendations?category=poetry', 'category must be one of: mystery, science-fiction, self-help'],
    ['/api/v1/recommendations?max=0', 'max must be at least 1'],
    ['/api/v1/recommendations?max=51', 'max must be at most 50'],
    ['/api/v1/recommendations?user=0', 'user must be at least 1'],
    ['/api/v1/books?sort=title', 'unknown parameter "sort"'],
    ['/api/v1/books?limit=0', 'limit must be at least 1'],
    ['/api/v1/books?limit=101', 'limit must be at most 100'],
    ['/api/v1/books?after=-1', 'after must be at least 0'],
    ['/api/v1/books?before=0', 'before must be at least 1'],
    ['/api/v1/books?after=x', 'after must be a whole number'],
    ['/api/v1/books?after=5&before=9', 'after and before cannot be combined'],
  ])('answers %s with a JSON 400 saying "%s"', async (url, message) => {
    const response = await t.app.inject(url);
    expect(response.statusCode).toBe(400);
    expect(response.json()).toEqual({ statusCode: 400, error: 'Bad Request', message });
  });

  it('answers unknown API paths with a JSON 404', async () => {
    const response = await t.app.inject('/api/v1/nope');
    expect(response.statusCode).toBe(404);
    expect(response.json()).toMatchObject({ statusCode: 404, error: 'Not Found' });
  });

  it('publishes an OpenAPI 3 document of the API only, and Swagger UI with local assets', async () => {
    const doc = (await t.app.inject('/openapi.json')).json<{ openapi: string; paths: Record<string, unknown> }>();
    expect(doc.openapi).toMatch(/^3\./);
    expect(Object.keys(doc.paths).sort()).toEqual(['/api/v1/books', '/api/v1/books/{id}', '/api/v1/recommendations']);
    const ui = await t.app.inject('/docs/');
    expect(ui.statusCode).toBe(200);
    expect(ui.body).not.toMatch(/https?:\/\/(?!127\.0\.0\.1|localhost)[^"']*\.(js|css)/);
    expect((await t.app.inject('/docs/static/swagger-ui.css')).statusCode).toBe(200);
  });

  it('serves every Swagger UI asset URL from the copy in memory, whatever its query or encoding', async () => {
    const plain = await t.app.inject('/docs/static/swagger-ui-bundle.js');
    expect(plain.statusCode).toBe(200);
    // The memory copy says cache-control public; the disk-streaming route it replaces does not.
    expect(plain.headers['cache-control']).toBe('public, max-age=3600');
    for (const url of ['/docs/static/swagger-ui-bundle.js?x=1', '/docs/static/swagger-ui-bundle%2Ejs']) {
      const response = await t.app.inject(url);
      expect([url, response.statusCode, response.headers['cache-control']]).toEqual([url, 200, 'public, max-age=3600']);
      expect(response.rawPayload.equals(plain.rawPayload)).toBe(true);
    }
    for (const url of ['/docs/static/not-there.js', '/docs/static/../package.json']) {
      expect([url, (await t.app.inject(url)).statusCode]).toEqual([url, 404]);
    }
    // Generated by the plugin, not a file: still reaches its route.
    expect((await t.app.inject('/docs/static/swagger-initializer.js')).statusCode).toBe(200);
    // A malformed escape never reaches a route: the router answers 400 (createMalformedRequestAnswers).
    expect((await t.app.inject('/docs/static/%E0%A4%A')).statusCode).toBe(400);
  });
});

describe('GET /api/v1/books on a catalog of many pages', () => {
  const t = withBookstore(() => startFakeRecommendations({ books: syntheticBooks(120) }));
  type Page = { books: { id: number; category: string }[]; next: string | null; previous: string | null };
  const get = async (url: string) => {
    const response = await t.app.inject(url);
    expect(response.statusCode).toBe(200);
    return response.json<Page>();
  };
  const ids = (page: Page) => [page.books[0]?.id, page.books.at(-1)?.id, page.books.length];

  it('pages forwards with next and back with previous, 50 books a page', async () => {
    const first = await get('/api/v1/books');
    expect(ids(first)).toEqual([1, 50, 50]);
    expect(first).toMatchObject({ next: '/api/v1/books?after=50', previous: null });
    const second = await get(first.next as string);
    expect(ids(second)).toEqual([51, 100, 50]);
    expect(second).toMatchObject({ next: '/api/v1/books?after=100', previous: '/api/v1/books?before=51' });
    const last = await get(second.next as string);
    expect(ids(last)).toEqual([101, 120, 20]);
    expect(last).toMatchObject({ next: null, previous: '/api/v1/books?before=101' });
    const back = await get(last.previous as string);
    expect(ids(back)).toEqual([51, 100, 50]);
    expect(back).toMatchObject({ next: '/api/v1/books?after=100', previous: '/api/v1/books?before=51' });
    const start = await get(back.previous as string);
    expect(ids(start)).toEqual([1, 50, 50]);
    expect(start.previous).toBeNull();
  });

  it('keeps the category and the limit in its links', async () => {
    const page = await get('/api/v1/books?category=self-help&limit=10');
    expect(page.books.map((b) => b.id)).toEqual([3, 6, 9, 12, 15, 18, 21, 24, 27, 30]);
    expect(page.next).toBe('/api/v1/books?category=self-help&limit=10&after=30');
    const next = await get(page.next as string);
    expect(next.books[0]?.id).toBe(33);
    expect(new Set(next.books.map((b) => b.category))).toEqual(new Set(['self-help']));
  });

  it('answers an empty page past the end', async () => {
    expect(await get('/api/v1/books?after=120')).toEqual({
      books: [],
      next: null,
      previous: '/api/v1/books?before=121',
    });
  });
});
