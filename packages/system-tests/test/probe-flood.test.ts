import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { get } from 'node:http';
import { join } from 'node:path';
import { connect, type Socket } from 'node:net';
import { startMarketplace, stopAll } from './support/bookstore';
import { eventually, imageEnv, normalClientProblem, openConnections, resetAll } from './support/hostile';
import { startService, type ServiceProcess } from './support/processes';

/** The kubelet's probe timeout (`timeoutSeconds`, 1 s unless k8s/marketplace.yaml says otherwise). */
const PROBE_TIMEOUT_MS = 1000;
/** How long the flood keeps the public port's connection cap full. */
const FLOOD_MS = 6000;
const PROBE_EVERY_MS = 250;

jest.setTimeout(45_000);

/** GET on a new connection; resolves with the status and how long it took, or the error's message. */
function probe(url: string): Promise<{ status: number; ms: number } | { error: string }> {
  const started = Date.now();
  return new Promise((resolve) => {
    const request = get(url, { agent: false, timeout: PROBE_TIMEOUT_MS }, (response) => {
      response.resume();
      response.on('end', () => resolve({ status: response.statusCode ?? 0, ms: Date.now() - started }));
    });
    request.on('timeout', () => request.destroy(new Error(`no answer within ${PROBE_TIMEOUT_MS} ms`)));
    request.on('error', (error) => resolve({ error: error.message }));
  });
}

/**
 * The marketplace's probes while an attacker holds its public port's connection cap (1,000) full:
 * 1,500 connections, each one the server closes reopened at once, so the cap never frees up.
 */
describe('the probes survive a connection flood on the public port (issue 18)', () => {
  let replica: ServiceProcess;
  let market: ServiceProcess;

  beforeAll(async () => {
    replica = await startService('recommendations', imageEnv('recommendations'));
    market = await startMarketplace(`127.0.0.1:${replica.port}`, imageEnv('marketplace'));
    for (let i = 0; i < 20 && (await normalClientProblem(market.port)) !== ''; i += 1);
    expect(await normalClientProblem(market.port)).toBe('');
  });
  afterAll(() => stopAll([market, replica]));

  it('answers /readyz and /healthz on the metrics port within the probe timeout; a user is served after', async () => {
    const metricsPort = market.ready.metricsPort as number;
    const flood = await openConnections(market.port, 1500);
    let flooding = true;
    let reopened = 0;
    const live = new Set<Socket>(flood);
    const reopen = (closed: Socket) => {
      live.delete(closed);
      if (!flooding) return;
      reopened += 1;
      const again = connect({ host: '127.0.0.1', port: market.port });
      again.on('error', () => undefined);
      again.resume();
      live.add(again);
      again.once('close', () => reopen(again));
    };
    // Those refused while the flood was opening are closed already: reopened at once too.
    for (const socket of flood) {
      if (socket.destroyed) reopen(socket);
      else socket.once('close', () => reopen(socket));
    }

    const onProbePort: Awaited<ReturnType<typeof probe>>[] = [];
    const onPublicPort: Awaited<ReturnType<typeof probe>>[] = [];
    const until = Date.now() + FLOOD_MS;
    while (Date.now() < until) {
      const [ready, health, publicReady] = await Promise.all([
        probe(`http://127.0.0.1:${metricsPort}/readyz`),
        probe(`http://127.0.0.1:${metricsPort}/healthz`),
        probe(`http://127.0.0.1:${market.port}/readyz`),
        new Promise((resolve) => setTimeout(resolve, PROBE_EVERY_MS)),
      ]);
      onProbePort.push(ready, health);
      onPublicPort.push(publicReady);
    }
    flooding = false;
    resetAll([...live]);

    const started = Date.now();
    const served = await eventually(async () => (await normalClientProblem(market.port)) === '', 5000);
    const servedAfterS = (Date.now() - started) / 1000;
    const slowest = Math.max(...onProbePort.map((r) => ('ms' in r ? r.ms : Number.POSITIVE_INFINITY)));
    const publicFailed = onPublicPort.filter((r) => !('status' in r) || r.status !== 200).length;
    process.stdout.write(
      `probe flood: ${JSON.stringify({
        reopened,
        probes: onProbePort.length,
        slowestMs: slowest,
        publicReadyzFailed: `${publicFailed} of ${onPublicPort.length}`,
        servedAfterS,
      })}\n`,
    );
    // The cap was full: the server kept closing the flood's connections, and the public port's
    // own /readyz failed (22 of 23 in the first run), which is what would have pulled the pod.
    expect(reopened).toBeGreaterThan(1000);
    expect(publicFailed).toBeGreaterThan(0);
    expect(onProbePort.filter((r) => !('status' in r) || r.status !== 200)).toEqual([]);
    expect(slowest).toBeLessThan(PROBE_TIMEOUT_MS);
    expect(served).toBe(true);
  });

  it('the container healthcheck (dist/health-probe.js) asks the metrics port, not the public one', async () => {
    const probeScript = join(__dirname, '..', '..', 'marketplace', 'dist', 'health-probe.js');
    const exitCode = async (env: Record<string, string>) => {
      const child = spawn(process.execPath, [probeScript], { env: { PATH: process.env.PATH ?? '', ...env } });
      const [code] = (await once(child, 'exit')) as [number | null];
      return code;
    };
    // PORT names a port nobody listens on: only the metrics port can make the check pass.
    expect(await exitCode({ PORT: '1', METRICS_PORT: String(market.ready.metricsPort) })).toBe(0);
    expect(await exitCode({ PORT: String(market.port), METRICS_PORT: '1' })).toBe(1);
  });
});
