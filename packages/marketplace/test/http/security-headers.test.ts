import { contentSecurityPolicy } from '../../src/http/security-headers';
import { html, withBookstore } from '../support/test-app';

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
});
