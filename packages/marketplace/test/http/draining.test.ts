import pino from 'pino';
import { buildApp } from '../../src/app';
import { loadConfig } from '../../src/config';
import { createRecommendationsClient } from '../../src/recommendations/client';
import { startFakeRecommendations } from '../support/fake-recommendations';

describe('draining', () => {
  it('adds Connection: close to every answer once not ready, and /readyz says so', async () => {
    const server = await startFakeRecommendations();
    const recommendations = createRecommendationsClient({ address: server.address, timeoutMs: 1000 });
    let ready = true;
    const app = await buildApp({
      config: loadConfig({}),
      logger: pino({ level: 'silent' }),
      recommendations,
      readerEvents: { viewed: () => undefined },
      isReady: () => ready,
    });
    try {
      const before = await app.inject('/');
      expect([before.statusCode, before.headers.connection]).toEqual([200, 'keep-alive']);
      ready = false;
      for (const url of ['/', '/books', '/nope', '/healthz']) {
        expect([url, (await app.inject(url)).headers.connection]).toEqual([url, 'close']);
      }
      const readyz = await app.inject('/readyz');
      expect([readyz.statusCode, readyz.json()]).toEqual([503, { status: 'shutting down' }]);
    } finally {
      await app.close();
      recommendations.close();
      await server.stop();
    }
  });
});
