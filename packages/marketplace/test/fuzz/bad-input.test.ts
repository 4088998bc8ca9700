import fc from 'fast-check';
import { request } from 'node:http';
import type { AddressInfo } from 'node:net';
import { withBookstore } from '../support/test-app';

/** A raw HTTP request (no client-side validation), resolving with the status code. */
function rawGet(port: number, path: string, headers: Record<string, string> = {}): Promise<number> {
  return new Promise((resolve, reject) => {
    // A fresh connection each time: the server closes the socket after a 431.
    const req = request({ host: '127.0.0.1', port, path, headers, method: 'GET', agent: false }, (res) => {
      res.resume();
      resolve(res.statusCode ?? 0);
    });
    req.on('error', (error) => reject(new Error(`${path.slice(0, 30)}: ${error.message}`)));
    req.end();
  });
}

describe('bad input to the Marketplace', () => {
  const t = withBookstore();
  const noServerError = (status: number) => status >= 200 && status < 500;

  it('answers random query strings with 2xx-4xx, never 5xx', async () => {
    const key = fc.oneof(fc.constantFrom('category', 'user', 'max', 'x', '__proto__', 'constructor'), fc.string());
    const value = fc.oneof(fc.string(), fc.constantFrom('mystery', '-1', '1e99', '2147483648', '%00', '[]', '{}'));
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.tuple(key, value), { maxLength: 4 }),
        fc.constantFrom('/', '/books', '/api/v1/recommendations', '/api/v1/books'),
        async (pairs, path) => {
          const query = pairs.map(([k, v]) => `${encodeURIComponent(k)}=${encodeURIComponent(v)}`).join('&');
          return noServerError((await t.app.inject(`${path}?${query}`)).statusCode);
        },
      ),
      { numRuns: 1500 },
    );
  });

  it('answers random paths and header values with 2xx-4xx, never 5xx', async () => {
    const segment = fc.oneof(fc.string(), fc.constantFrom('..', '%2e%2e', 'static', 'api', 'v1', '%00', '%ff'));
    const headerValue = fc.string().map((s) => s.replace(/[^\x20-\x7e]/g, ''));
    await fc.assert(
      fc.asyncProperty(fc.array(segment, { maxLength: 4 }), headerValue, async (segments, value) => {
        const path = `/${segments.map((s) => (/^%|^\.\.$/.test(s) ? s : encodeURIComponent(s))).join('/')}`;
        const response = await t.app.inject({
          url: path,
          headers: { 'x-request-id': value, cookie: `uid=${value}`, accept: value, 'accept-language': value },
        });
        return noServerError(response.statusCode);
      }),
      { numRuns: 1500 },
    );
  });

  it('answers any book id, on the page and in the API, with 2xx-4xx, never 5xx', async () => {
    const id = fc.oneof(
      fc.string(),
      fc.integer().map(String),
      fc.constantFrom('0', '-0', '1e3', '0x10', '2147483647', '2147483648', '1.0', ' 1', '%00', '101'),
    );
    await fc.assert(
      fc.asyncProperty(id, fc.constantFrom('/books/', '/api/v1/books/'), async (value, prefix) => {
        const response = await t.app.inject({ url: `${prefix}${encodeURIComponent(value)}`, cookies: { uid: '5' } });
        return noServerError(response.statusCode);
      }),
      { numRuns: 500 },
    );
  });

  it('answers oversized URLs with 414 and oversized headers with 431, over a real socket', async () => {
    await t.app.listen({ host: '127.0.0.1', port: 0 });
    const { port } = t.app.server.address() as AddressInfo;
    expect(await rawGet(port, `/?category=${'a'.repeat(4000)}`)).toBe(414);
    expect(await rawGet(port, '/', { 'x-filler': 'a'.repeat(20_000) })).toBe(431);
    expect(await rawGet(port, `/${'a'.repeat(12_000)}`)).toBe(414);
    expect(await rawGet(port, '/healthz')).toBe(200);
  });

  it('answers path traversal on static assets with 404', async () => {
    for (const path of [
      '/static/../../package.json',
      '/static/..%2f..%2fpackage.json',
      '/static/%2e%2e/%2e%2e/etc/passwd',
      '/static/....//package.json',
      '/static/%5c..%5cpackage.json',
    ]) {
      expect((await t.app.inject(path)).statusCode).toBe(404);
    }
  });
});
