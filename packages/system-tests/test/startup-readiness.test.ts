import { writeDevCertificates } from '@bookstore/dev-certificates';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startMarketplace, startReplicas, stopAll } from './support/bookstore';
import { eventually, imageEnv } from './support/hostile';
import { loadPage } from './support/pages';
import type { ServiceProcess } from './support/processes';
import { createStablePort, type StablePort } from './support/stable-port';

jest.setTimeout(60_000);

const NOT_CONNECTED = 'Recommendations not connected within RECOMMENDATIONS_STARTUP_TIMEOUT_MS';

/** `/readyz` on the metrics port, where the kubelet and the container healthcheck ask. */
async function readyz(market: ServiceProcess): Promise<{ status: number; body: unknown }> {
  const response = await fetch(`http://127.0.0.1:${market.ready.metricsPort as number}/readyz`);
  return { status: response.status, body: await response.json() };
}

/**
 * Issue 25: `make e2e`'s mutual-TLS stack served a first homepage with 0 books right after its
 * containers turned healthy. The marketplace is ready once its channels to Recommendations are
 * connected, or RECOMMENDATIONS_STARTUP_TIMEOUT_MS has passed; and its first page has its books.
 * Recommendations sits behind a port the test holds, so it can come up after the marketplace (as
 * Kubernetes may start them), and each new connection through it is slow.
 */
describe('marketplace start-up: ready once Recommendations is connected (issue 25)', () => {
  const dir = mkdtempSync(join(tmpdir(), 'bookstore-startup-'));
  const file = (service: string, name: string) => join(dir, service, name);
  const running: ServiceProcess[] = [];
  let target: StablePort;
  const mutualTls = () => ({
    ...imageEnv('marketplace'),
    RECOMMENDATIONS_TLS_CA_FILE: file('marketplace', 'ca.crt'),
    RECOMMENDATIONS_TLS_CERT_FILE: file('marketplace', 'tls.crt'),
    RECOMMENDATIONS_TLS_KEY_FILE: file('marketplace', 'tls.key'),
  });
  const startRecommendations = async () => {
    const [replica] = await startReplicas(1, {
      ...imageEnv('recommendations'),
      TLS_CERT_FILE: file('recommendations', 'tls.crt'),
      TLS_KEY_FILE: file('recommendations', 'tls.key'),
      TLS_CLIENT_CA_FILE: file('recommendations', 'ca.crt'),
      TLS_ALLOWED_CLIENTS: 'marketplace',
    });
    running.push(replica as ServiceProcess);
    target.pointAt(replica?.port);
  };

  beforeAll(() => writeDevCertificates(dir));
  // Each connection takes 500 ms to reach Recommendations, more than a call's 300 ms deadline:
  // a busy node (the e2e stack starts five containers at once) or a slow network.
  beforeEach(async () => (target = await createStablePort(undefined, { connectDelayMs: 500 })));
  afterEach(async () => {
    await stopAll(running.splice(0));
    await target.close();
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it.each([
    ['Recommendations first', true],
    ['the marketplace first', false],
  ])(
    'over mutual TLS, %s, connections slow to open: the first homepage after /readyz turns 200 has its 3 books',
    async (_, first) => {
      if (first) await startRecommendations();
      const market = await startMarketplace(`127.0.0.1:${target.port}`, mutualTls());
      running.push(market);
      if (!first) await startRecommendations();

      expect(await eventually(async () => (await readyz(market)).status === 200, 20_000)).toBe(true);
      const page = await loadPage(`http://127.0.0.1:${market.port}/`);
      expect([page.status, page.degraded, page.books.length]).toEqual([200, false, 3]);
      expect(market.logs.filter((l) => String(l.msg).startsWith(NOT_CONNECTED))).toEqual([]);
    },
  );

  it('without Recommendations: ready after RECOMMENDATIONS_STARTUP_TIMEOUT_MS, degraded, said once', async () => {
    const market = await startMarketplace(`127.0.0.1:${target.port}`, {
      ...mutualTls(),
      RECOMMENDATIONS_STARTUP_TIMEOUT_MS: '1500',
    });
    running.push(market);
    expect(await readyz(market)).toEqual({ status: 503, body: { status: 'starting' } });

    const warned = await market.waitForLog((l) => String(l.msg).startsWith(NOT_CONNECTED), 15_000);
    expect(warned).toMatchObject({ level: 40, recommendationsStartupTimeoutMs: 1500 });
    expect(await readyz(market)).toEqual({ status: 200, body: { status: 'ready' } });
    const page = await loadPage(`http://127.0.0.1:${market.port}/`);
    expect([page.status, page.degraded]).toEqual([200, true]);
    // More probes and pages later: still ready, and the line is not written again.
    for (let i = 0; i < 5; i += 1) {
      expect((await readyz(market)).status).toBe(200);
      await loadPage(`http://127.0.0.1:${market.port}/`);
    }
    expect(market.logs.filter((l) => String(l.msg).startsWith(NOT_CONNECTED))).toHaveLength(1);
  });
});
