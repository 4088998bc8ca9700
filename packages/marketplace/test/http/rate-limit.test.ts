import { sampleValue } from '@bookstore/test-support';
import { loadConfig } from '../../src/config';
import { createMarketplaceMetrics } from '../../src/observability/marketplace-metrics';
import { addressKey } from '../../src/http/rate-limit';
import { startFakeRecommendations } from '../support/fake-recommendations';
import { buildTestApp, html } from '../support/test-app';

describe('the rate limit config', () => {
  it('is on by default: 200 pages and 30 book lists per address per 10 s; RATE_LIMIT_MAX=0 turns it off', () => {
    expect(loadConfig({}).rateLimit).toEqual({ max: 200, bookListsMax: 30, windowMs: 10_000 });
    expect(loadConfig({ RATE_LIMIT_MAX: '0' }).rateLimit.max).toBe(0);
    expect(() => loadConfig({ RATE_LIMIT_BOOK_LISTS_MAX: '0' })).toThrow(/RATE_LIMIT_BOOK_LISTS_MAX/);
  });

  it('keys an IPv6 client on its /64 and an IPv4 one (mapped or not) on its address', () => {
    expect(addressKey('203.0.113.7')).toBe('203.0.113.7');
    expect(addressKey('::ffff:203.0.113.7')).toBe('203.0.113.7');
    expect(addressKey('2001:db8:1:2:aaaa::1')).toBe('2001:db8:1:2::/64');
    expect(addressKey('2001:db8:1:2::ffff')).toBe('2001:db8:1:2::/64');
    expect(addressKey('2001:db8::1')).toBe('2001:db8:0:0::/64');
    expect(addressKey('::1')).toBe('0:0:0:0::/64');
  });
});

describe('rate limiting', () => {
  it('answers 429 with Retry-After past each budget, per address; assets, probes and forged X-Forwarded-For change nothing', async () => {
    const server = await startFakeRecommendations();
    const metrics = createMarketplaceMetrics();
    const t = await buildTestApp({
      address: server.address,
      env: { RATE_LIMIT_MAX: '3', RATE_LIMIT_BOOK_LISTS_MAX: '2', RATE_LIMIT_WINDOW_MS: '60000' },
      metrics,
    });
    const get = (url: string, remoteAddress = '10.0.0.1', headers: Record<string, string> = {}) =>
      t.app.inject({ url, remoteAddress, headers });
    const codes = async (url: string, times: number, remoteAddress?: string, headers?: Record<string, string>) => {
      const result: number[] = [];
      for (let i = 0; i < times; i += 1) result.push((await get(url, remoteAddress, headers)).statusCode);
      return result;
    };
    try {
      // A forged X-Forwarded-For on each request: not believed (TRUST_PROXY unset), one budget.
      let n = 0;
      const forged = () => ({ 'x-forwarded-for': `198.51.100.${(n += 1)}` });
      const pages = [];
      for (let i = 0; i < 5; i += 1) pages.push((await get('/', '10.0.0.1', forged())).statusCode);
      expect(pages).toEqual([200, 200, 200, 429, 429]);
      const limited = await get('/api/v1/recommendations?category=mystery');
      expect(limited.statusCode).toBe(429);
      expect(html((await get('/')).body).querySelector('h1')?.text).toBe('Too many requests');
      // The window is 60 s and began at the first request: at most 60 s to wait.
      expect(Number(limited.headers['retry-after'])).toBeGreaterThan(0);
      expect(Number(limited.headers['retry-after'])).toBeLessThanOrEqual(60);
      // The book lists have a budget of their own, shared by the page and the API.
      expect([...(await codes('/books', 2)), ...(await codes('/api/v1/books', 2))]).toEqual([200, 200, 429, 429]);
      // Never limited: assets and probes.
      expect(await codes('/static/styles.css', 5)).toEqual([200, 200, 200, 200, 200]);
      expect(await codes('/healthz', 5)).toEqual([200, 200, 200, 200, 200]);
      // Another address has budgets of its own.
      expect(await codes('/', 3, '10.0.0.2')).toEqual([200, 200, 200]);
      expect(await codes('/api/v1/books', 2, '10.0.0.2')).toEqual([200, 200]);

      const text = await metrics.registry.metrics();
      expect(sampleValue(text, 'marketplace_http_rate_limited_total', { budget: 'pages' })).toBe(4);
      expect(sampleValue(text, 'marketplace_http_rate_limited_total', { budget: 'book_lists' })).toBe(2);
      // Counted, not logged: no access-log line for a 429.
      expect(t.logs.filter((line) => line.statusCode === 429)).toEqual([]);
    } finally {
      await t.close();
      await server.stop();
    }
  });
});
