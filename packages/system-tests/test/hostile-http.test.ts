import { connect, type Socket } from 'node:net';
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
  watchRss,
} from './support/hostile';
import { fetchMetricsText, rssMb, sampleValue } from '@bookstore/test-support';
import { startService, type ServiceProcess } from './support/processes';

/** The marketplace pod's memory limit (k8s/marketplace.yaml) and the margin the tests keep below it. */
const POD_LIMIT_MB = 256;
const PEAK_ALLOWED_MB = POD_LIMIT_MB * 0.75;
/** After the attacker leaves, RSS may stay this far above its baseline (allocator slack). */
const RSS_SLACK_MB = 30;
const BUNDLE = '/docs/static/swagger-ui-bundle.js';
const CUT_METRIC = 'marketplace_http_connections_cut_total';
const CUT_LINE = 'connections closed under their clients (HTTP limits)';

jest.setTimeout(60_000);

describe('the marketplace under hostile clients, as shipped (issue 18)', () => {
  let replica: ServiceProcess;
  let market: ServiceProcess;
  let pid: number;
  let baseline: { rss: number; fds: number };

  beforeAll(async () => {
    replica = await startService('recommendations', imageEnv('recommendations'));
    market = await startMarketplace(`127.0.0.1:${replica.port}`, imageEnv('marketplace'));
    pid = market.child.pid as number;
    // Warm up: pages, the Swagger UI bundle, an error page; then the baseline.
    // (the first pages may miss their books while the gRPC channel connects).
    for (let i = 0; i < 20; i += 1) await normalClientProblem(market.port);
    expect(await normalClientProblem(market.port)).toBe('');
    await (await fetch(`http://127.0.0.1:${market.port}${BUNDLE}`)).arrayBuffer();
    // At once: a socket of the warm-up not yet closed makes the fd checks below lenient by one,
    // where the attacks leave hundreds.
    baseline = { rss: rssMb(pid), fds: openFds(pid) };
  });
  afterAll(() => stopAll([market, replica]));

  /**
   * Runs `attack`, held for `holdMs` while RSS is sampled (how long the attack lasts, as a load
   * generator's pace, not a wait for an outcome), then serves a normal client during it; then
   * checks recovery.
   */
  async function underAttack(attack: () => Promise<Socket[]>, holdMs = 1500) {
    const before = { rss: rssMb(pid), fds: openFds(pid) };
    const rss = watchRss(pid);
    const sockets = await attack();
    await sleep(holdMs);
    // A user whose connection the full cap dropped retries (as browsers and probes do).
    let during = '';
    const servedDuring = await eventually(async () => (during = await normalClientProblem(market.port)) === '', 3000);
    if (!servedDuring) during ||= 'not served within 3 s';
    const peakDuring = rss.peak();
    resetAll(sockets);
    const recovered = await eventually(() => openFds(pid) <= baseline.fds + 2, 10_000);
    // Until RSS is back within the slack (at most 10 s): memory the attack left held stays.
    await eventually(() => rssMb(pid) < before.rss + RSS_SLACK_MB, 10_000);
    rss.stop();
    const after = { rss: rssMb(pid), fds: openFds(pid), client: await normalClientProblem(market.port) };
    return { sockets, before, during, peak: peakDuring, recovered, after };
  }

  function expectUsersUnharmed(result: Awaited<ReturnType<typeof underAttack>>) {
    const report = { baseline, before: result.before, peak: result.peak, after: result.after, during: result.during };
    process.stdout.write(`${expect.getState().currentTestName}: ${JSON.stringify(report)}\n`);
    expect(result.peak).toBeLessThan(PEAK_ALLOWED_MB);
    expect(result.during).toBe('');
    expect(result.after.client).toBe('');
    expect(result.after.fds).toBeLessThanOrEqual(baseline.fds + 2);
    expect(result.after.rss).toBeLessThan(result.before.rss + RSS_SLACK_MB);
  }

  it('40 connections pipelining 20 Swagger UI bundles each, never reading, then resetting', async () => {
    const request = `GET ${BUNDLE} HTTP/1.1\r\nHost: localhost\r\n\r\n`.repeat(20);
    const result = await underAttack(async () => {
      const sockets = await openConnections(market.port, 40);
      for (const socket of sockets) {
        socket.pause();
        socket.write(request);
      }
      return sockets;
    });
    expectUsersUnharmed(result);
    // Every connection cut, counted; one log line for all of them (issue 25).
    const cut = sampleValue(await fetchMetricsText(market.ready.metricsPort as number), CUT_METRIC, {
      reason: 'pipelining',
    });
    expect(cut).toBe(40);
    expect(market.logs.filter((line) => line.msg === CUT_LINE && line.reason === 'pipelining')).toHaveLength(1);
  });

  it('as many connections as the cap allows, each asking for the Swagger UI bundle and never reading', async () => {
    const request = `GET ${BUNDLE} HTTP/1.1\r\nHost: localhost\r\n\r\n`;
    const result = await underAttack(async () => {
      const sockets = await openConnections(market.port, 1000);
      for (const socket of sockets) {
        socket.pause();
        socket.write(request);
      }
      return sockets;
    }, 3000);
    expectUsersUnharmed(result);
  });

  it('250 connections each sending 999,999 of a declared 1,000,000-byte body, to a page and to a 404', async () => {
    const chunk = Buffer.alloc(999_999, 0x61);
    const result = await underAttack(async () => {
      const sockets = await openConnections(market.port, 250);
      sockets.forEach((socket, i) => {
        const path = i % 2 === 0 ? '/no-such-page' : '/';
        socket.write(
          `POST ${path} HTTP/1.1\r\nHost: localhost\r\nContent-Type: text/plain\r\nContent-Length: 1000000\r\n\r\n`,
        );
        socket.write(chunk);
      });
      return sockets;
    }, 3000);
    expectUsersUnharmed(result);
  });

  it('slow and idle clients are closed: headers a byte at a time, nothing at all, an idle keep-alive', async () => {
    const before = openFds(pid);
    const slow = await openConnections(market.port, 100);
    const silent = await openConnections(market.port, 100);
    const idle = await openConnections(market.port, 100);
    for (const socket of slow) socket.write('GET / HTTP/1.1\r\nHost: localhost\r\n');
    for (const socket of idle) socket.write('GET /healthz HTTP/1.1\r\nHost: localhost\r\n\r\n');
    const drip = setInterval(() => slow.forEach((socket) => socket.writable && socket.write('x')), 500);
    const started = Date.now();
    // Headers timeout 10 s and keep-alive 10 s, checked every second: all closed within 12 s (15 with
    // a margin for a loaded machine; closed at 11.0–11.4 s in every run so far).
    const allClosed = await eventually(() => closedCount([...slow, ...silent, ...idle]) === 300, 15_000);
    clearInterval(drip);
    const seconds = (Date.now() - started) / 1000;
    process.stdout.write(
      `slow/idle clients closed after ${seconds} s: slow ${closedCount(slow)}, silent ${closedCount(silent)}, idle ${closedCount(idle)} of 100 each\n`,
    );
    resetAll([...slow, ...silent, ...idle]);
    expect(allClosed).toBe(true);
    expect(await eventually(() => openFds(pid) <= before + 2, 5000)).toBe(true);
    expect(await normalClientProblem(market.port)).toBe('');
  });

  it('a flood of idle connections past the cap: the rest are refused, memory stays bounded, users are served again', async () => {
    const before = { rss: rssMb(pid), fds: openFds(pid) };
    const rss = watchRss(pid);
    const started = Date.now();
    const flood = await openConnections(market.port, 1500);
    // Until the refusals past the cap have reached the client (at most 5 s).
    await eventually(() => closedCount(flood) >= 500 && openFds(pid) - before.fds <= 1000 + 2, 5000);
    const heldFds = openFds(pid) - before.fds;
    const refused = closedCount(flood);
    // The cap is full of idle attackers: a new user's connection is dropped, which closes the
    // oldest idle ones; the user's retry gets in.
    const servedAgain = await eventually(async () => (await normalClientProblem(market.port)) === '', 3000);
    const servedAfterS = (Date.now() - started) / 1000;
    const stillOpen = flood.length - closedCount(flood);
    resetAll(flood);
    rss.stop();
    const after = { rss: rssMb(pid), fds: await eventually(() => openFds(pid) <= before.fds + 2, 5000) };
    process.stdout.write(
      `flood: ${JSON.stringify({ before, heldFds, refused, stillOpen, peak: rss.peak(), servedAfterS, after })}\n`,
    );
    expect(heldFds).toBeLessThanOrEqual(1000 + 2);
    expect(refused).toBeGreaterThanOrEqual(500);
    // Counted (Node's refusals and the idle ones closed to make room), at most a line a reason.
    const metrics = await fetchMetricsText(market.ready.metricsPort as number);
    const [refusedByNode, closedIdle] = ['cap_refused', 'cap_idle'].map(
      (reason) => sampleValue(metrics, CUT_METRIC, { reason }) ?? 0,
    );
    expect(refusedByNode! + closedIdle!).toBeGreaterThanOrEqual(refused);
    expect(closedIdle).toBeGreaterThan(0);
    for (const reason of ['cap_refused', 'cap_idle'])
      expect(market.logs.filter((line) => line.msg === CUT_LINE && line.reason === reason)).toHaveLength(1);
    expect(rss.peak()).toBeLessThan(PEAK_ALLOWED_MB);
    expect(servedAgain).toBe(true);
    expect(after.fds).toBe(true);
    expect(after.rss).toBeLessThan(before.rss + RSS_SLACK_MB);
  });

  it('sends the security headers on every answer, the ones Node and the router write included', async () => {
    const cases: [string, string][] = [
      ['414', `GET /${'a'.repeat(3000)} HTTP/1.1\r\nHost: localhost\r\n\r\n`],
      ['431', `GET / HTTP/1.1\r\nHost: localhost\r\nX-Big: ${'a'.repeat(20_000)}\r\n\r\n`],
      ['400', `GET / HTTP/1.1\r\nHost: localhost\r\nBad Header\r\n\r\n`],
      ['400', `GET /%zz HTTP/1.1\r\nHost: localhost\r\n\r\n`],
      ['413', `POST / HTTP/1.1\r\nHost: localhost\r\nContent-Length: 5\r\n\r\nhello`],
      ['404', `GET /nope HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n`],
    ];
    for (const [status, request] of cases) {
      const head = await rawHead(market.port, request);
      expect(head.slice(0, 12)).toBe(`HTTP/1.1 ${status}`);
      expect({ status, csp: /content-security-policy: default-src 'self'/i.test(head) }).toEqual({ status, csp: true });
      expect({ status, nosniff: /x-content-type-options: nosniff/i.test(head) }).toEqual({ status, nosniff: true });
      expect({ status, frame: /x-frame-options: SAMEORIGIN/i.test(head) }).toEqual({ status, frame: true });
    }
  });
});

/** Sends `request` on a new connection and resolves with the response head. */
function rawHead(port: number, request: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const socket = connect({ host: '127.0.0.1', port }, () => socket.write(request));
    let text = '';
    socket.setTimeout(5000, () => socket.destroy(new Error(`no answer to ${request.slice(0, 40)}`)));
    socket.on('data', (chunk: Buffer) => {
      text += chunk.toString('latin1');
      const end = text.indexOf('\r\n\r\n');
      if (end >= 0) {
        socket.destroy();
        resolve(text.slice(0, end));
      }
    });
    socket.on('error', reject);
    socket.on('close', () => reject(new Error(`closed without an answer to ${request.slice(0, 40)}`)));
  });
}
