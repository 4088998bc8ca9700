import { BookCategory } from '@bookstore/contracts';
import pino from 'pino';
import { buildApp } from '../../src/app';
import { loadConfig } from '../../src/config';
import { contentSecurityPolicy } from '../../src/security';
import { FAKE_BOOKS, recommendRequest, startFakeRecommendations } from '../support/fake-recommendations';
import { buildTestApp, html, withBookstore } from '../support/test-app';

describe('security headers and static assets', () => {
  const t = withBookstore();

  it('sends a strict CSP and helmet headers, and no x-powered-by', async () => {
    const response = await t.app.inject('/');
    const csp = String(response.headers['content-security-policy']);
    for (const directive of [
      "default-src 'self'",
      "script-src 'self'",
      "style-src 'self'",
      "object-src 'none'",
      "frame-ancestors 'none'",
    ]) {
      expect(csp).toContain(directive);
    }
    expect(csp).not.toContain('unsafe-inline');
    expect(response.headers).toMatchObject({
      'x-content-type-options': 'nosniff',
      'x-frame-options': 'SAMEORIGIN',
      'referrer-policy': 'no-referrer',
      'cross-origin-opener-policy': 'same-origin',
    });
    expect(response.headers['x-powered-by']).toBeUndefined();
  });

  it('sends one policy: the pages the strict one, Swagger UI the same but for inline styles', async () => {
    const strict = contentSecurityPolicy();
    expect((await t.app.inject('/')).headers['content-security-policy']).toBe(strict);
    expect((await t.app.inject('/docs/')).headers['content-security-policy']).toBe(
      strict.replace("style-src 'self'", "style-src 'self' 'unsafe-inline'"),
    );
  });

  it('sends them on every response: 404s, static files, health, the API', async () => {
    for (const url of ['/nope', '/static/styles.css', '/healthz', '/api/v1/recommendations?category=mystery']) {
      const response = await t.app.inject(url);
      expect([url, String(response.headers['content-security-policy'])]).toEqual([
        url,
        expect.stringContaining("default-src 'self'"),
      ]);
      expect(response.headers['x-content-type-options']).toBe('nosniff');
    }
  });

  it('uses no inline script or style in its pages', async () => {
    for (const url of ['/', '/books', '/nope', '/?category=x']) {
      const page = html((await t.app.inject(url)).body);
      expect(page.querySelectorAll('script')).toHaveLength(0);
      expect(page.querySelectorAll('style')).toHaveLength(0);
      expect(page.querySelectorAll('[style]')).toHaveLength(0);
      expect(page.querySelector('link[rel="stylesheet"]')?.getAttribute('href')).toBe('/static/styles.css');
    }
  });

  it('serves the stylesheet, and 404 for paths that escape the asset folder', async () => {
    const css = await t.app.inject('/static/styles.css');
    expect(css.statusCode).toBe(200);
    expect(css.headers['content-type']).toContain('text/css');
    for (const url of [
      '/static/../package.json',
      '/static/%2e%2e/package.json',
      '/static/..%2fpackage.json',
      '/static/%2e%2e%2fsrc%2fapp.ts',
    ]) {
      expect((await t.app.inject(url)).statusCode).toBe(404);
    }
  });

  it('sets a uid cookie on the first visit and keeps it afterwards', async () => {
    const first = await t.app.inject('/');
    const cookie = first.cookies.find((c) => c.name === 'uid');
    expect(cookie).toMatchObject({ httpOnly: true, sameSite: 'Lax', path: '/' });
    expect(Number(cookie?.value)).toBeGreaterThan(0);
    const again = await t.app.inject({ url: '/', cookies: { uid: String(cookie?.value) } });
    expect(again.cookies).toHaveLength(0);
  });
});

describe('what reaches Recommendations and what comes back', () => {
  it('sends ?user, else the uid cookie, as user_id', async () => {
    const server = await startFakeRecommendations();
    const t = await buildTestApp({ address: server.address });
    try {
      await t.app.inject('/?user=42');
      await t.app.inject({ url: '/', cookies: { uid: '777' } });
      // Not an id under the one rule (>= 1): a new user, with a new cookie.
      for (const uid of ['not-a-number', '0']) {
        const response = await t.app.inject({ url: '/', cookies: { uid } });
        expect(Number(response.cookies.find((c) => c.name === 'uid')?.value)).toBeGreaterThanOrEqual(1);
      }
      const seen = server.calls.map((c) => recommendRequest(c).userId);
      expect(seen.slice(0, 2)).toEqual([42, 777]);
      for (const id of seen.slice(2)) expect(id).toBeGreaterThanOrEqual(1);
      expect(seen.slice(2)).not.toContain(777);
    } finally {
      await t.close();
      await server.stop();
    }
  });

  it('escapes every title: markup in the catalog renders as text', async () => {
    const evil = {
      id: 99,
      title: '<script>alert(1)</script>',
      author: '"><img src=x onerror=alert(2)>',
      category: BookCategory.BOOK_CATEGORY_MYSTERY,
    };
    // First in its category: the fake recommends it on every homepage of that category.
    const server = await startFakeRecommendations({ books: [evil, ...FAKE_BOOKS] });
    const t = await buildTestApp({ address: server.address });
    try {
      for (const url of ['/?category=mystery&user=1', '/books']) {
        const { body } = await t.app.inject(url);
        expect(body).toContain('&lt;script&gt;alert(1)&lt;/script&gt;');
        expect(body).not.toContain('<script>');
        expect(body).not.toContain('<img');
        expect(html(body).querySelectorAll('script, img')).toHaveLength(0);
      }
    } finally {
      await t.close();
      await server.stop();
    }
  });
});

describe('server errors', () => {
  it('render a generic 500 page without the error, and log it with its stack', async () => {
    const logs: string[] = [];
    const app = await buildApp({
      config: loadConfig({}),
      logger: pino({ level: 'info' }, { write: (line: string) => logs.push(line) }),
      recommendations: {
        recommend: async () => {
          throw new Error('database password is hunter2');
        },
        listBooks: async () => ({ available: true, value: [] }),
        close: () => undefined,
      },
    });
    try {
      const response = await app.inject('/');
      expect(response.statusCode).toBe(500);
      expect(html(response.body).querySelector('h1')?.text).toBe('Something went wrong');
      expect(response.body).not.toContain('hunter2');
      expect(response.body).not.toMatch(/at \w+ \(/);
      const api = await app.inject('/api/v1/recommendations');
      expect(api.statusCode).toBe(500);
      expect(api.json()).toEqual({
        statusCode: 500,
        error: 'Internal Server Error',
        message: 'The page could not be shown. Please try again in a moment.',
      });
      expect(logs.filter((l) => l.includes('hunter2') && l.includes('"stack"'))).toHaveLength(2);
    } finally {
      await app.close();
    }
  });
});

describe('rate limiting', () => {
  it('is off by default and answers 429 past RATE_LIMIT_MAX when on; probes are exempt', async () => {
    const server = await startFakeRecommendations();
    const off = await buildTestApp({ address: server.address });
    const on = await buildTestApp({
      address: server.address,
      env: { RATE_LIMIT_MAX: '3', RATE_LIMIT_WINDOW_MS: '60000' },
    });
    try {
      for (let i = 0; i < 5; i += 1) expect((await off.app.inject('/')).statusCode).toBe(200);
      const codes = [];
      for (let i = 0; i < 5; i += 1) codes.push((await on.app.inject('/')).statusCode);
      expect(codes).toEqual([200, 200, 200, 429, 429]);
      const limited = await on.app.inject('/');
      expect(html(limited.body).querySelector('h1')?.text).toBe('Too many requests');
      // The window is 60 s and began at the first request: at most 60 s to wait.
      const retryAfter = Number(limited.headers['retry-after']);
      expect(retryAfter).toBeGreaterThan(0);
      expect(retryAfter).toBeLessThanOrEqual(60);
      expect((await on.app.inject('/healthz')).statusCode).toBe(200);
    } finally {
      await off.close();
      await on.close();
      await server.stop();
    }
  });
});
