import { Registry } from 'prom-client';
import { createMetricsServer } from '../../src';

describe('probe paths on the metrics port', () => {
  it('answers each probe with its current status and JSON body; other paths and methods stay 404', async () => {
    let ready = true;
    const server = createMetricsServer({
      registry: new Registry(),
      host: '127.0.0.1',
      port: 0,
      probes: {
        '/readyz': () =>
          ready
            ? { statusCode: 200, body: { status: 'ready' } }
            : { statusCode: 503, body: { status: 'shutting down' } },
      },
    });
    const port = await server.start();
    try {
      const first = await fetch(`http://127.0.0.1:${port}/readyz`);
      expect(first.status).toBe(200);
      expect(await first.json()).toEqual({ status: 'ready' });
      ready = false;
      const second = await fetch(`http://127.0.0.1:${port}/readyz?x=1`);
      expect(second.status).toBe(503);
      expect(await second.json()).toEqual({ status: 'shutting down' });
      expect((await fetch(`http://127.0.0.1:${port}/readyz`, { method: 'POST' })).status).toBe(404);
      expect((await fetch(`http://127.0.0.1:${port}/healthz`)).status).toBe(404);
      expect((await fetch(`http://127.0.0.1:${port}/metrics`)).status).toBe(200);
    } finally {
      await server.stop();
    }
  });
});
