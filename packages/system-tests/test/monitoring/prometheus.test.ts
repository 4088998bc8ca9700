import { setTimeout as sleep } from 'node:timers/promises';
import { ipv4Target, startMarketplace, startReplicas, stopAll } from '../support/bookstore';
import { loadGroups, withFor } from '../support/monitoring';
import { type ServiceProcess, startService } from '../support/processes';
import { type PrometheusProcess, startPrometheus } from '../support/prometheus';
import { createStablePort, type StablePort } from '../support/stable-port';

/** The `for` of every alert here, instead of 1–15 minutes: alerts must fire within the test. */
const TEST_FOR = '10s';
const shipped = loadGroups();
const templated = withFor(shipped, TEST_FOR);

/** Pages at a steady rate until stopped (20 pages/s: 1 in 5 is the catalog). */
function backgroundLoad(base: string) {
  const inFlight = new Set<Promise<unknown>>();
  let sent = 0;
  const timer = setInterval(() => {
    sent += 1;
    const page = fetch(`${base}${sent % 5 === 0 ? '/books' : '/'}`).then(
      (r) => r.text(),
      () => undefined,
    );
    inFlight.add(page);
    void page.finally(() => inFlight.delete(page));
  }, 50);
  return {
    stop: async () => {
      clearInterval(timer);
      await Promise.all(inFlight);
    },
  };
}

/** Polls the alerts API until `done` holds or `ms` pass; returns when each alert was first seen in each state. */
async function watchAlerts(
  prometheus: PrometheusProcess,
  names: string[],
  ms: number,
  done: (seen: Map<string, number>) => boolean,
) {
  const seen = new Map<string, number>();
  const started = performance.now();
  while (performance.now() - started < ms && !done(seen)) {
    for (const alert of await prometheus.alerts()) {
      const key = `${alert.labels.alertname} ${alert.state}`;
      if (names.includes(alert.labels.alertname ?? '') && !seen.has(key)) seen.set(key, performance.now() - started);
    }
    await sleep(250);
  }
  return seen;
}

describe('the shipped rules in a real Prometheus scraping the real services', () => {
  it('differ from the rules under test only in their `for` durations', () => {
    const withoutFor = (groups: typeof shipped) =>
      groups.map((g) => ({ ...g, rules: g.rules.map(({ for: _for, ...rule }) => rule) }));
    expect(withoutFor(templated)).toEqual(withoutFor(shipped));
    const alerts = shipped.flatMap((g) => g.rules).filter((r) => r.alert !== undefined);
    expect(alerts.every((r) => r.for !== undefined && r.for !== TEST_FOR)).toBe(true);
  });

  const running: (ServiceProcess | undefined)[] = [];
  let prometheus: PrometheusProcess | undefined;
  let load: { stop(): Promise<void> } | undefined;
  const stable: StablePort[] = [];
  afterAll(async () => {
    await load?.stop();
    await prometheus?.stop();
    await stopAll(running.splice(0));
    await Promise.all(stable.splice(0).map((p) => p.close()));
  });

  /**
   * A replica behind ports the test holds (its gRPC port, its metrics port): the marketplace's
   * static target and Prometheus' targets stay the same when the replica restarts on new free
   * ports, and nobody else can take them meanwhile (support/stable-port.ts).
   */
  async function behindStablePorts(replica: ServiceProcess) {
    const grpc = await createStablePort(replica.port);
    const metrics = await createStablePort(replica.ready.metricsPort as number);
    stable.push(grpc, metrics);
    return { grpc, metrics };
  }

  it('records every SLI under load with nothing pending; all replicas down pages; back up resolves', async () => {
    const replicas = await startReplicas(3);
    running.push(...replicas);
    const fronts = await Promise.all(replicas.map(behindStablePorts));
    const marketplace = await startMarketplace(ipv4Target(fronts.map((f) => ({ port: f.grpc.port }))));
    running.push(marketplace);
    const metricsOf = (p: ServiceProcess) => `127.0.0.1:${p.ready.metricsPort as number}`;
    prometheus = await startPrometheus({
      targets: {
        recommendations: fronts.map((f) => `127.0.0.1:${f.metrics.port}`),
        marketplace: [metricsOf(marketplace)],
      },
      groups: templated,
    });
    load = backgroundLoad(`http://127.0.0.1:${marketplace.port}`);

    // Under load: every recording rule has data for its SLO, and no alert is pending or firing.
    const records = shipped.flatMap((g) => g.rules).filter((r) => r.record !== undefined);
    // Rules without an `slo` label (the budget left) compute one series per SLO from the others.
    const selector = (r: (typeof records)[number]) =>
      r.labels?.slo === undefined ? (r.record ?? '') : `${r.record}{slo="${r.labels.slo}"}`;
    let missing = records.map(selector);
    for (let i = 0; i < 60 && missing.length > 0; i += 1) {
      await sleep(500);
      const answered = await Promise.all(missing.map(async (s) => ((await prometheus!.query(s)).length > 0 ? '' : s)));
      missing = answered.filter(Boolean);
    }
    expect(missing).toEqual([]);
    // Two more evaluations of every rule on that data: none made an alert pending.
    await prometheus.evaluated(2);
    expect(await prometheus.alerts()).toEqual([]);

    // Every replica stops: both page alerts go pending, then fire within their `for` (+ scrape and evaluation).
    const pageAlerts = ['RecommendationsAllReplicasDown', 'MarketplacePagesDegraded'];
    await Promise.all(replicas.map((r) => r.stop('SIGTERM')));
    for (const front of fronts) {
      front.grpc.pointAt(undefined);
      front.metrics.pointAt(undefined);
    }
    const down = await watchAlerts(prometheus, pageAlerts, 40_000, (seen) =>
      pageAlerts.every((a) => seen.has(`${a} firing`)),
    );
    for (const alert of pageAlerts) {
      expect([alert, down.has(`${alert} pending`)]).toEqual([alert, true]);
      expect([alert, down.get(`${alert} firing`)]).toEqual([alert, expect.any(Number)]);
      expect(down.get(`${alert} firing`)! - down.get(`${alert} pending`)!).toBeGreaterThanOrEqual(9_000);
    }

    // Back, behind the same addresses: both resolve (the degraded ratio once its 1-minute window has moved on).
    const restarted = await Promise.all(replicas.map(() => startService('recommendations', {})));
    running.push(...restarted);
    restarted.forEach((replica, i) => {
      fronts[i]!.grpc.pointAt(replica.port);
      fronts[i]!.metrics.pointAt(replica.ready.metricsPort as number);
    });
    let active = pageAlerts;
    for (let i = 0; i < 150 && active.length > 0; i += 1) {
      await sleep(500);
      const names = (await prometheus.alerts()).map((a) => a.labels.alertname);
      active = pageAlerts.filter((a) => names.includes(a));
    }
    expect(active).toEqual([]);
  }, 170_000);
});
