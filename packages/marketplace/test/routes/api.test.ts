import { BOOKS } from '@bookstore/recommendations';
import { startRecommendations } from '../support/servers';
import { buildTestApp, withBookstore } from '../support/test-app';

describe('the JSON API', () => {
  const t = withBookstore(() => startRecommendations());

  it('GET /api/v1/recommendations answers { recommendations: [{ id, title }] }', async () => {
    const response = await t.app.inject('/api/v1/recommendations?category=self-help&max=4&user=7');
    expect(response.statusCode).toBe(200);
    expect(response.headers['content-type']).toContain('application/json');
    const { recommendations } = response.json() as { recommendations: { id: number; title: string }[] };
    expect(recommendations).toHaveLength(4);
    const selfHelp = BOOKS.filter((b) => b.category === 3);
    for (const r of recommendations) {
      expect(Object.keys(r).sort()).toEqual(['id', 'title']);
      expect(selfHelp.map((b) => b.id)).toContain(r.id);
    }
    expect((await t.app.inject('/api/v1/recommendations')).json().recommendations).toHaveLength(3);
  });

  it('GET /api/v1/books answers every book, or one category', async () => {
    const all = (await t.app.inject('/api/v1/books')).json() as { books: { id: number; category: string }[] };
    expect(all.books.map((b) => b.id)).toEqual(BOOKS.map((b) => b.id).sort((a, b) => a - b));
    expect(all.books[0]).toEqual({
      id: 1,
      title: 'The Maltese Falcon',
      author: 'Dashiell Hammett',
      category: 'mystery',
    });
    const scifi = (await t.app.inject('/api/v1/books?category=science-fiction')).json() as {
      books: { category: string }[];
    };
    expect(new Set(scifi.books.map((b) => b.category))).toEqual(new Set(['science-fiction']));
  });

  it.each([
    ['/api/v1/recommendations?category=poetry', 'category must be one of: mystery, science-fiction, self-help'],
    ['/api/v1/recommendations?max=0', 'max must be at least 1'],
    ['/api/v1/recommendations?max=51', 'max must be at most 50'],
    ['/api/v1/recommendations?user=-1', 'user must be at least 0'],
    ['/api/v1/books?sort=title', 'unknown parameter "sort"'],
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
    const doc = (await t.app.inject('/openapi.json')).json() as { openapi: string; paths: Record<string, unknown> };
    expect(doc.openapi).toMatch(/^3\./);
    expect(Object.keys(doc.paths).sort()).toEqual(['/api/v1/books', '/api/v1/recommendations']);
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
    // A malformed escape never reaches a route: the router answers 400 (createClientErrorAnswers).
    expect((await t.app.inject('/docs/static/%E0%A4%A')).statusCode).toBe(400);
  });
});

describe('the JSON API when Recommendations is down', () => {
  it('answers 503 with Retry-After and a JSON error instead of degrading', async () => {
    const t = await buildTestApp({ address: '127.0.0.1:1', timeoutMs: 300 });
    try {
      for (const url of ['/api/v1/recommendations', '/api/v1/books']) {
        const response = await t.app.inject(url);
        expect(response.statusCode).toBe(503);
        expect(response.headers['retry-after']).toBe('5');
        expect(response.json()).toEqual({
          statusCode: 503,
          error: 'Service Unavailable',
          message: 'Recommendations are unavailable; retry later.',
        });
      }
    } finally {
      await t.close();
    }
  });
});
