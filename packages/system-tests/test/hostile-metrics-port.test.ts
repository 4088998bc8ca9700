import { get } from 'node:http';
import { setTimeout as sleep } from 'node:timers/promises';
import { startMarketplace, stopAll } from './support/bookstore';
import {
  closedCount,
  eventually,
  imageEnv,
  normalClientProblem,
  openConnections,
  openFds,
  resetAll,
} from './support/hostile';
import { startService, type ServiceProcess } from './support/processes';

jest.setTimeout(60_000);

/** The metrics port's connection cap (service-kit metrics-port-limits.ts). */
const MAX_CONNECTIONS = 64;

/** GET on a new connection; its status and time, or why it failed. */
function timedGet(url: string, ms: number): Promise<{ status?: number; ms: number; error?: string }> {
  const started = performance.now();
  const took = () => Math.round(performance.now() - started);
  return new Promise((resolve) => {
    const request = get(url, { agent: false, timeout: ms }, (response) => {
      response.resume();
      response.on('end', () => resolve({ status: response.statusCode ?? 0, ms: took() }));
      response.on('error', (error) => resolve({ ms: took(), error: error.message }));
    });
    request.on('timeout', () => request.destroy(new Error(`no answer within ${ms} ms`)));
    request.on('error', (error) => resolve({ ms: took(), error: error.message }));
  });
}

/**
 * Issue 25: the marketplace's metrics port (9091: /metrics and the kubelet's probes) had no
 * connection cap and Node's default timeouts (headers 60 s, checked every 30 s), and rendered
 * every /metrics request on the event loop that serves the pages.
 */
describe('the marketplace metrics port under hostile clients, as shipped (issue 25)', () => {
  let replica: ServiceProcess;
  let market: ServiceProcess;
  let pid: number;
  let metricsPort: number;

  beforeAll(async () => {
    replica = await startService('recommendations', imageEnv('recommendations'));
    market = await startMarketplace(`127.0.0.1:${replica.port}`, imageEnv('marketplace'));
    pid = market.child.pid as number;
    metricsPort = market.ready.metricsPort as number;
    expect(await eventually(async () => (await normalClientProblem(market.port)) === '', 10_000)).toBe(true);
  });
  afterAll(() => stopAll([market, replica]));

  it('500 silent and slowloris connections: at most 64 held, liveness answers, pages unaffected, all closed by the timeouts', async () => {
    const before = openFds(pid);
    const silent = await openConnections(metricsPort, 250);
    const slow = await openConnections(metricsPort, 250);
    for (const socket of slow) socket.write('GET /metrics HTTP/1.1\r\nHost: localhost\r\n');
    const drip = setInterval(() => slow.forEach((socket) => socket.writable && socket.write('x')), 500);
    const all = [...silent, ...slow];
    try {
      const held = await eventually(() => all.length - closedCount(all) <= MAX_CONNECTIONS, 3000);
      const heldFds = openFds(pid) - before;
      const liveness = await timedGet(`http://127.0.0.1:${metricsPort}/healthz`, 1000);
      const readiness = await timedGet(`http://127.0.0.1:${metricsPort}/readyz`, 1000);
      const page = await normalClientProblem(market.port);
      const started = Date.now();
      // Headers timeout 5 s, checked every second: all closed within ~6 s (12 on a loaded machine).
      const allClosed = await eventually(() => closedCount(all) === all.length, 12_000);
      process.stdout.write(
        `metrics port, 500 connections: ${JSON.stringify({ held, heldFds, liveness, readiness, page, closedAllAfterS: allClosed ? (Date.now() - started) / 1000 : 'no' })}\n`,
      );
      expect(held).toBe(true);
      expect(heldFds).toBeLessThanOrEqual(MAX_CONNECTIONS + 4);
      expect(liveness.status).toBe(200);
      expect(readiness.status).toBe(200);
      expect(page).toBe('');
      expect(allClosed).toBe(true);
    } finally {
      clearInterval(drip);
      resetAll(all);
    }
    expect(await eventually(() => openFds(pid) <= before + 2, 5000)).toBe(true);
  });

  it('200 concurrent /metrics scrapes, again and again: pages keep their latency', async () => {
    const pageMs = async (count: number) => {
      const times: number[] = [];
      for (let i = 0; i < count; i += 1) {
        const page = await timedGet(`http://127.0.0.1:${market.port}/?category=mystery`, 5000);
        if (page.status !== 200) throw new Error(`page: ${page.error ?? page.status}`);
        times.push(page.ms);
      }
      return times.sort((a, b) => a - b);
    };
    const quiet = await pageMs(20);

    let scraping = true;
    let scrapes = 0;
    let refused = 0;
    const scraper = async () => {
      while (scraping) {
        const answer = await timedGet(`http://127.0.0.1:${metricsPort}/metrics`, 10_000);
        if (answer.status === 200) scrapes += 1;
        else {
          // Refused at the cap: tries again soon, as a scraper does (not at once, in a loop).
          refused += 1;
          await sleep(50);
        }
      }
    };
    const scrapers = Array.from({ length: 200 }, scraper);
    const busy = await pageMs(20);
    scraping = false;
    await Promise.all(scrapers);
    const liveness = await timedGet(`http://127.0.0.1:${metricsPort}/healthz`, 1000);

    const worst = (times: number[]) => times[times.length - 1] as number;
    const median = (times: number[]) => times[Math.floor(times.length / 2)] as number;
    process.stdout.write(
      `200 scrapers: ${JSON.stringify({ quiet: { median: median(quiet), worst: worst(quiet) }, busy: { median: median(busy), worst: worst(busy) }, scrapes, refused, liveness })}\n`,
    );
    expect(scrapes).toBeGreaterThan(0);
    // The cap, not the timing, is what fails on a port without it: there all 200 scrapers get in.
    expect(refused).toBeGreaterThan(0);
    expect(liveness.status).toBe(200);
    // Pages keep being served; the bounds are loose on purpose (a loaded 2-core CI machine): the
    // measured figures are in docs/reliability.md (slowest 267-537 ms here, 868-1,671 ms without).
    expect(median(busy)).toBeLessThan(Math.max(500, 10 * median(quiet)));
    expect(worst(busy)).toBeLessThan(3000);
  });
});
