import { setTimeout as sleep } from 'node:timers/promises';
import { ipv4Target, startMarketplace, startReplicas, stopAll } from './support/bookstore';
import { steadyLoad } from './support/load';
import { isFailedPage, loadPage } from './support/pages';
import { startService, type ServiceProcess } from './support/processes';

const TIMEOUT_MS = 300;

describe('faults under load (processes on loopback)', () => {
  const running: (ServiceProcess | undefined)[] = [];
  afterEach(async () => {
    for (const p of running) if (p?.child.exitCode === null && p.child.signalCode === null) p.child.kill('SIGCONT');
    await stopAll(running.splice(0));
  });

  async function bookstore(env: Record<string, string> = {}) {
    const replicas = await startReplicas(3, { SHUTDOWN_GRACE_MS: '5000', ...env });
    const marketplace = await startMarketplace(ipv4Target(replicas), {
      RECOMMENDATIONS_TIMEOUT_MS: String(TIMEOUT_MS),
    });
    running.push(marketplace, ...replicas);
    return { replicas, marketplace, url: `http://127.0.0.1:${marketplace.port}/` };
  }

  it('rolling restart: 3 replicas restarted one at a time with SIGTERM at 200 pages/s for 30 s fails no page', async () => {
    const { replicas, url } = await bookstore();
    const restarts: Promise<void>[] = [];
    const result = await steadyLoad({
      url,
      rate: 200,
      seconds: 30,
      at: (second) => {
        const index = [5, 13, 21].indexOf(second);
        if (index < 0) return;
        const old = replicas[index] as ServiceProcess;
        restarts.push(
          (async () => {
            // The replacement comes up on the same port once the old one has drained (like a pod).
            expect(await old.stop('SIGTERM')).toBe(0);
            const fresh = await startService('recommendations', { PORT: String(old.port) });
            running.push(fresh);
          })(),
        );
      },
    });
    await Promise.all(restarts);
    expect(result.failed).toEqual([]);
    expect(result.degraded).toEqual([]);
    expect(result.achievedRate).toBeGreaterThanOrEqual(190);
  }, 120_000);

  it('one replica killed with SIGKILL under load fails no page (retries, round_robin)', async () => {
    const { replicas, url } = await bookstore();
    const result = await steadyLoad({
      url,
      rate: 100,
      seconds: 6,
      at: (s) => s === 2 && replicas[0]?.child.kill('SIGKILL'),
    });
    expect(result.failed).toEqual([]);
    expect(result.degraded).toEqual([]);
  });

  it('all replicas paused (SIGSTOP): pages degrade within the deadline; SIGCONT: they recover', async () => {
    const { replicas, url } = await bookstore();
    expect(isFailedPage(await loadPage(url))).toBe(false);
    for (const r of replicas) r.child.kill('SIGSTOP');
    for (let i = 0; i < 5; i += 1) {
      const page = await loadPage(url);
      expect([page.status, page.degraded]).toEqual([200, true]);
      // Paused replicas never answer: without the deadline the page would hang. 1 s of slack
      // is for a loaded 2-core host.
      expect(page.ms).toBeLessThan(TIMEOUT_MS + 1000);
    }
    for (const r of replicas) r.child.kill('SIGCONT');
    const resumed = performance.now();
    let recovered = false;
    while (!recovered && performance.now() - resumed < 5000) {
      recovered = !isFailedPage(await loadPage(url));
      if (!recovered) await sleep(100);
    }
    expect(recovered).toBe(true);
  });

  it('marketplace SIGTERM under load: requests in flight complete, new connections are refused cleanly', async () => {
    const { marketplace, url } = await bookstore();
    let signalled = false;
    const result = await steadyLoad({
      url,
      rate: 100,
      seconds: 3,
      at: (second) => {
        if (second === 1) {
          signalled = true;
          marketplace.child.kill('SIGTERM');
        }
      },
    });
    expect(signalled).toBe(true);
    // Pages either completed whole (200 with books) or were refused at connect; none cut off mid-way.
    for (const page of result.pages) {
      if (page.status === 200) expect(isFailedPage(page)).toBe(false);
      else expect(page.error).toMatch(/fetch failed/);
    }
    expect(result.pages.filter((p) => p.status === 200).length).toBeGreaterThan(90);
    expect(await marketplace.stop()).toBe(0);
  });
});
