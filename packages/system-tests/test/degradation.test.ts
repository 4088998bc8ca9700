import { type RecommendationServiceServer, RecommendationServiceService } from '@bookstore/contracts';
import { Server, ServerCredentials } from '@grpc/grpc-js';
import { setTimeout as sleep } from 'node:timers/promises';
import { ipv4Target, startMarketplace, startReplicas, stopAll } from './support/bookstore';
import { isFailedPage, loadPage } from './support/pages';
import { startService, type ServiceProcess } from './support/processes';

const TIMEOUT_MS = 300;
/**
 * What a degraded page may take beyond the deadline: generous for a loaded 2-core host, and far
 * below what a page without the deadline would wait (the replicas never answer, or answer after
 * SLOW_ANSWER_MS).
 */
const SLACK_MS = 1000;
const SLOW_ANSWER_MS = 10_000;

describe('the marketplace when recommendations fails', () => {
  const running: (ServiceProcess | undefined)[] = [];
  afterEach(async () => {
    await stopAll(running.splice(0));
  });

  it('degrades every page within the deadline (+ slack) when all replicas stop, and recovers within 5 s of one returning', async () => {
    const replicas = await startReplicas(3);
    const marketplace = await startMarketplace(ipv4Target(replicas), {
      RECOMMENDATIONS_TIMEOUT_MS: String(TIMEOUT_MS),
    });
    running.push(marketplace, ...replicas);
    const home = `http://127.0.0.1:${marketplace.port}/`;
    expect(isFailedPage(await loadPage(home))).toBe(false);

    await Promise.all(replicas.map((r) => r.stop('SIGTERM')));
    const degraded = [];
    for (let i = 0; i < 20; i += 1) degraded.push(await loadPage(home));
    for (const page of degraded) {
      expect(page.status).toBe(200);
      expect(page.degraded).toBe(true);
      expect(page.ms).toBeLessThan(TIMEOUT_MS + SLACK_MS);
    }
    const catalog = await loadPage(`http://127.0.0.1:${marketplace.port}/books`);
    expect([catalog.status, catalog.degraded]).toEqual([200, true]);
    const warnings = marketplace.logs.filter((l) => l.level === 40 && typeof l.grpcCode === 'string');
    expect(warnings.length).toBeGreaterThanOrEqual(21);

    const back = await startService('recommendations', { PORT: String(replicas[1]?.port) });
    running.push(back);
    const returnedAt = performance.now();
    let recovered = false;
    while (!recovered && performance.now() - returnedAt < 5000) {
      recovered = !isFailedPage(await loadPage(home));
      if (!recovered) await sleep(100);
    }
    expect(recovered).toBe(true);
    expect(performance.now() - returnedAt).toBeLessThan(5000);
  });

  it('serves the page within the deadline (+ slack) when recommendations answers after 10 s', async () => {
    const slow = new Server();
    const slowImplementation: Pick<RecommendationServiceServer, 'recommend' | 'listBooks'> = {
      // unref: the answers still pending when the test ends do not keep jest waiting.
      recommend: (_call, callback) =>
        void setTimeout(() => callback(null, { recommendations: [] }), SLOW_ANSWER_MS).unref(),
      listBooks: (call) => void setTimeout(() => call.end(), SLOW_ANSWER_MS).unref(),
    };
    slow.addService(RecommendationServiceService, slowImplementation);
    const port = await new Promise<number>((resolve, reject) =>
      slow.bindAsync('127.0.0.1:0', ServerCredentials.createInsecure(), (e, p) => (e ? reject(e) : resolve(p))),
    );
    try {
      const marketplace = await startMarketplace(`127.0.0.1:${port}`, {
        RECOMMENDATIONS_TIMEOUT_MS: String(TIMEOUT_MS),
      });
      running.push(marketplace);
      for (const path of ['/', '/books']) {
        const page = await loadPage(`http://127.0.0.1:${marketplace.port}${path}`);
        expect(page.status).toBe(200);
        expect(page.degraded).toBe(true);
        expect(page.ms).toBeLessThan(TIMEOUT_MS + SLACK_MS);
      }
      // The marketplace gave up at its deadline (not at the server's answer, nor on a failure).
      expect(marketplace.logs.filter((l) => l.grpcCode === 'DEADLINE_EXCEEDED')).toHaveLength(2);
    } finally {
      slow.forceShutdown();
    }
  });

  it('reports itself ready while recommendations is down: pages degrade instead', async () => {
    // Start-up waits for Recommendations, at most RECOMMENDATIONS_STARTUP_TIMEOUT_MS (startup-readiness.test.ts).
    const marketplace = await startMarketplace('127.0.0.1:1', { RECOMMENDATIONS_STARTUP_TIMEOUT_MS: '500' });
    running.push(marketplace);
    await marketplace.waitForLog((l) => String(l.msg).startsWith('Recommendations not connected'), 10_000);
    expect((await fetch(`http://127.0.0.1:${marketplace.port}/readyz`)).status).toBe(200);
    expect((await fetch(`http://127.0.0.1:${marketplace.port}/healthz`)).status).toBe(200);
  });
});
