import { RECOMMENDATION_SERVICE_NAME } from '@bookstore/contracts';
import { sampleValue } from '@bookstore/test-support';
import pino from 'pino';
import { buildApp } from '../src/app';
import { loadConfig } from '../src/config';
import { createClientMetricsInterceptor } from '../src/observability/grpc-client-metrics';
import { createMarketplaceMetrics } from '../src/observability/marketplace-metrics';
import { createRecommendationsClient } from '../src/recommendations/client';
import { startFakeRecommendations } from './support/fake-recommendations';
import { buildTestApp } from './support/test-app';

describe('marketplace metrics', () => {
  it('counts client calls by method and code, and HTTP requests by route template', async () => {
    const server = await startFakeRecommendations();
    const metrics = createMarketplaceMetrics();
    const recommendations = createRecommendationsClient({
      address: server.address,
      timeoutMs: 1000,
      interceptors: [createClientMetricsInterceptor(metrics)],
    });
    const app = await buildApp({
      config: loadConfig({}),
      logger: pino({ level: 'silent' }),
      recommendations,
      readerEvents: { viewed: () => undefined },
      metrics,
    });
    try {
      for (const url of ['/', '/?category=self-help', '/books', '/nope-1', '/nope-2', '/?category=x'])
        await app.inject(url);
      await server.stop();
      await app.inject('/');

      const text = await metrics.registry.metrics();
      expect(
        sampleValue(text, 'grpc_client_handled_total', {
          grpc_service: RECOMMENDATION_SERVICE_NAME,
          grpc_method: 'Recommend',
          grpc_code: 'OK',
        }),
      ).toBe(2);
      expect(
        sampleValue(text, 'grpc_client_handled_total', {
          grpc_method: 'ListBooks',
          grpc_type: 'server_stream',
          grpc_code: 'OK',
        }),
      ).toBe(1);
      expect(
        sampleValue(text, 'grpc_client_handled_total', { grpc_method: 'Recommend', grpc_code: 'Unavailable' }),
      ).toBe(1);
      expect(sampleValue(text, 'grpc_client_handling_seconds_count', { grpc_method: 'Recommend' })).toBe(3);
      expect(
        sampleValue(text, 'http_request_duration_seconds_count', { method: 'GET', route: '/', status_code: '200' }),
      ).toBe(3);
      expect(sampleValue(text, 'http_request_duration_seconds_count', { route: '/', status_code: '400' })).toBe(1);
      expect(sampleValue(text, 'http_request_duration_seconds_count', { route: 'unmatched', status_code: '404' })).toBe(
        2,
      );
      expect(text).not.toContain('nope-1');
    } finally {
      await app.close();
      recommendations.close();
      await server.stop();
    }
  });

  it('counts pages rendered complete and degraded, each outcome from 0', async () => {
    const server = await startFakeRecommendations();
    const metrics = createMarketplaceMetrics();
    const recommendations = createRecommendationsClient({ address: server.address, timeoutMs: 1000 });
    const app = await buildApp({
      config: loadConfig({}),
      logger: pino({ level: 'silent' }),
      recommendations,
      readerEvents: { viewed: () => undefined },
      metrics,
    });
    try {
      const before = await metrics.registry.metrics();
      expect(sampleValue(before, 'marketplace_pages_rendered_total', { page: 'home', outcome: 'degraded' })).toBe(0);
      for (const url of ['/', '/?category=self-help', '/books', '/?category=x', '/nope']) await app.inject(url);
      await server.stop();
      for (const url of ['/', '/books', '/']) await app.inject(url);

      const text = await metrics.registry.metrics();
      const pages = (page: string, outcome: string) =>
        sampleValue(text, 'marketplace_pages_rendered_total', { page, outcome });
      expect([pages('home', 'complete'), pages('home', 'degraded')]).toEqual([2, 2]);
      expect([pages('books', 'complete'), pages('books', 'degraded')]).toEqual([1, 1]);
    } finally {
      await app.close();
      recommendations.close();
      await server.stop();
    }
  });
});

describe('the access log', () => {
  it('writes one line per request with the request id; the probes only at warn', async () => {
    const server = await startFakeRecommendations();
    const t = await buildTestApp({ address: server.address });
    try {
      await t.app.inject({ url: '/?category=self-help', headers: { 'x-request-id': 'page-1' } });
      await t.app.inject({ url: '/nope', headers: { 'x-request-id': 'page-2' } });
      await t.app.inject('/healthz');
      await t.app.inject('/readyz');
      const lines = t.logs.filter((l) => l.msg === 'request completed');
      expect(lines).toEqual([
        expect.objectContaining({
          level: 30,
          reqId: 'page-1',
          method: 'GET',
          url: '/?category=self-help',
          statusCode: 200,
          durationMs: expect.any(Number) as number,
          remoteAddress: '127.0.0.1',
        }),
        expect.objectContaining({ reqId: 'page-2', statusCode: 404 }),
      ]);
      expect(t.logs.filter((l) => l.reqId === 'page-1')).toHaveLength(1);
    } finally {
      await t.close();
      await server.stop();
    }
  });
});
