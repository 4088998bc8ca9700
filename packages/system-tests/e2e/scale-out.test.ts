import { sampleValue } from '@bookstore/test-support';
import { execFile } from 'node:child_process';
import { setTimeout as sleep } from 'node:timers/promises';
import { promisify } from 'node:util';
import { isFailedPage, loadPage, type PageResult } from '../test/support/pages';

/**
 * Scaling the compose stack's Recommendations under page load (scripts/e2e.sh starts the stack).
 * gRPC keeps one long connection per replica, so a new replica gets calls only once the
 * marketplace re-resolves `dns:///recommendations`: when a connection closes, which the servers'
 * MAX_CONNECTION_AGE_MS (10 s in compose.yaml) forces.
 */
const BASE = process.env.E2E_BASE_URL ?? 'http://127.0.0.1:5000';
const PROJECT = process.env.E2E_PROJECT ?? 'bookstore-e2e';
const run = promisify(execFile);
const compose = async (...args: string[]) =>
  (await run('docker-compose', ['-p', PROJECT, '-f', '../../compose.yaml', ...args], { encoding: 'utf8' })).stdout;
const replicas = async () => (await compose('ps', '-q', 'recommendations')).split('\n').filter(Boolean);
const scale = (count: number) =>
  compose('up', '-d', '--no-build', '--no-recreate', '--scale', `recommendations=${count}`, 'recommendations');

/** Recommend calls a container answered OK, from its own /metrics (the port is not published). */
async function served(container: string): Promise<number> {
  const script = "fetch('http://127.0.0.1:9090/metrics').then(r => r.text()).then(t => process.stdout.write(t))";
  const { stdout } = await run('docker', ['exec', container, 'node', '-e', script], { encoding: 'utf8' });
  return sampleValue(stdout, 'grpc_server_handled_total', { grpc_method: 'Recommend', grpc_code: 'OK' }) ?? 0;
}

/** The marketplace's Recommend calls by gRPC code, from its own /metrics (each homepage makes one). */
async function clientCalls(): Promise<Record<string, number>> {
  const [marketplace] = (await compose('ps', '-q', 'marketplace')).split('\n').filter(Boolean);
  const script = "fetch('http://127.0.0.1:9091/metrics').then(r => r.text()).then(t => process.stdout.write(t))";
  const { stdout } = await run('docker', ['exec', marketplace as string, 'node', '-e', script], { encoding: 'utf8' });
  const calls: Record<string, number> = {};
  for (const [, labels = '', value] of stdout.matchAll(/^grpc_client_handled_total\{([^}]*)\} (\S+)$/gm))
    if (labels.includes('grpc_method="Recommend"')) calls[/grpc_code="(\w+)"/.exec(labels)?.[1] ?? ''] = Number(value);
  return calls;
}

/** `workers` loops loading the homepage back to back until stopped. */
function pageLoad(workers: number) {
  const pages: PageResult[] = [];
  let running = true;
  const loops = Array.from({ length: workers }, async () => {
    while (running) pages.push(await loadPage(`${BASE}/`));
  });
  return {
    pages,
    stop: async () => {
      running = false;
      await Promise.all(loops);
      return pages;
    },
  };
}

async function untilRunning(count: number) {
  for (let i = 0; i < 60 && (await replicas()).length !== count; i += 1) await sleep(500);
  expect(await replicas()).toHaveLength(count);
}

describe('scaling Recommendations in the compose stack under load', () => {
  // Back as the stack started, whichever test file runs next: 3 replicas, each already taking calls
  // (the new one once the marketplace has re-resolved, within MAX_CONNECTION_AGE_MS).
  afterAll(async () => {
    await scale(3);
    await untilRunning(3);
    const all = await replicas();
    const before = await Promise.all(all.map(served));
    for (const started = performance.now(); performance.now() - started < 30_000;) {
      for (let i = 0; i < 20; i += 1) await loadPage(`${BASE}/`);
      const now = await Promise.all(all.map(served));
      if (now.every((n, i) => n > (before[i] ?? 0))) break;
    }
  }, 60_000);

  it('a new replica takes >= 20 % of calls within 15 s; no page fails scaling 2 → 3 → 2', async () => {
    await scale(2);
    await untilRunning(2);
    const callsBefore = await clientCalls();
    const load = pageLoad(2);
    await sleep(3000);
    const before = new Set(await replicas());
    await scale(3);
    const added = (await replicas()).find((c) => !before.has(c)) as string;
    const startedAt = performance.now();
    expect(added).toBeDefined();
    const all = [...before, added];
    await sleep(10_000 - (performance.now() - startedAt));
    const at10 = await Promise.all(all.map(served));
    await sleep(15_000 - (performance.now() - startedAt));
    const at15 = await Promise.all(all.map(served));
    const window = at15.map((n, i) => n - (at10[i] ?? 0));
    const total = window.reduce((a, b) => a + b, 0);
    expect(total).toBeGreaterThan(50);
    // Seconds 10–15 after the container started: the new replica's share of all Recommend calls.
    expect((window[2] ?? 0) / total).toBeGreaterThanOrEqual(0.2);

    await scale(2); // SIGTERM to one replica while pages load; it drains and exits
    await sleep(3000);
    const pages = await load.stop();
    const callsAfter = await clientCalls();
    const failedCalls = Object.fromEntries(
      Object.entries(callsAfter)
        .map(([code, n]) => [code, n - (callsBefore[code] ?? 0)] as const)
        .filter(([code, n]) => code !== 'OK' && n > 0),
    );
    expect(pages.length).toBeGreaterThan(200);
    expect(pages.filter((p) => p.status !== 200)).toEqual([]);
    // Scaling itself failed no call: none was UNAVAILABLE (no replica, or a connection closing under
    // it) or anything else. Only deadlines may pass, and each degraded page is one of them: on a
    // busy 2-core machine (load average 20 here) a page now and then waits past the 300 ms deadline
    // for CPU, scaling or not (measured: 0.5-1 % of pages, all DEADLINE_EXCEEDED; none on a quiet run).
    const { DeadlineExceeded: deadlines = 0, ...otherFailures } = failedCalls;
    expect(otherFailures).toEqual({});
    expect(pages.filter(isFailedPage)).toHaveLength(deadlines);
    expect(deadlines / pages.length).toBeLessThan(0.03);
  }, 120_000);
});
