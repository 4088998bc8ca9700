import { fetchMetricsText } from '@bookstore/test-support';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { stringify } from 'yaml';
import { startMarketplace, startReplicas, stopAll } from '../support/bookstore';
import { DASHBOARDS_DIR, loadGroups, promtool, selectedMetrics } from '../support/monitoring';
import type { ServiceProcess } from '../support/processes';

/** Series Prometheus writes itself for every target; no /metrics lists them. */
const PROMETHEUS_SERIES = ['up'];

/** Sample names a /metrics page exposes, from its `# TYPE` lines (histograms as _bucket/_sum/_count). */
function exposedNames(text: string): string[] {
  return [...text.matchAll(/^# TYPE (\S+) (\S+)$/gm)].flatMap(([, name = '', type]) =>
    type === 'histogram' || type === 'summary' ? [name, `${name}_bucket`, `${name}_sum`, `${name}_count`] : [name],
  );
}

interface Panel {
  title: string;
  targets?: { expr: string }[];
  panels?: Panel[];
}

/** Every PromQL expression of the dashboards, with Grafana's variables given values. */
function dashboardExpressions(): { where: string; expr: string }[] {
  const dashboard = JSON.parse(readFileSync(join(DASHBOARDS_DIR, 'bookstore.json'), 'utf8')) as { panels: Panel[] };
  const panels = dashboard.panels.flatMap((p) => [p, ...(p.panels ?? [])]);
  return panels.flatMap((p) =>
    (p.targets ?? []).map((t) => ({
      where: `dashboard "${p.title}"`,
      expr: t.expr.replaceAll('$__rate_interval', '1m'),
    })),
  );
}

const groups = loadGroups();
const ruleExpressions = groups.flatMap((g) =>
  g.rules.map((r) => ({ where: `${g.name} ${r.record ?? r.alert}`, expr: r.expr })),
);
const recorded = groups.flatMap((g) => g.rules.flatMap((r) => (r.record === undefined ? [] : [r.record])));

describe('every PromQL expression in monitoring/ (rules and dashboard)', () => {
  const running: ServiceProcess[] = [];
  let exposed = new Set<string>();
  beforeAll(async () => {
    const replicas = await startReplicas(1);
    running.push(...replicas);
    const marketplace = await startMarketplace(`127.0.0.1:${replicas[0]?.port}`);
    running.push(marketplace);
    // Traffic, so the labelled series exist on both sides (a Recommend, a stream, a 400, an API call).
    for (const path of ['/', '/books', '/?category=nope', '/api/v1/recommendations?category=mystery'])
      await fetch(`http://127.0.0.1:${marketplace.port}${path}`);
    const pages = await Promise.all(running.map((p) => fetchMetricsText(p.ready.metricsPort as number)));
    exposed = new Set(pages.flatMap(exposedNames));
  });
  afterAll(() => stopAll(running.splice(0)));

  const expressions = [...ruleExpressions, ...dashboardExpressions()];

  it('covers the rules and the dashboard', () => {
    expect(ruleExpressions.length).toBeGreaterThan(40);
    expect(dashboardExpressions().length).toBeGreaterThan(15);
  });

  it('parses, and selects only metrics the running services expose or the rules record', () => {
    expect(exposed.has('grpc_server_handled_total')).toBe(true);
    expect(exposed.has('marketplace_pages_rendered_total')).toBe(true);
    const known = new Set([...exposed, ...recorded, ...PROMETHEUS_SERIES]);
    const problems = expressions.flatMap(({ where, expr }) => {
      const { names, errors } = selectedMetrics(expr);
      if (names.length === 0 && !expr.startsWith('vector(')) errors.push('selects no metric');
      return [...errors, ...names.filter((n) => !known.has(n)).map((n) => `unknown metric ${n}`)].map(
        (e) => `${where}: ${e}`,
      );
    });
    expect(problems).toEqual([]);
  });

  it('is valid PromQL for Prometheus itself (the dashboard’s as recording rules through promtool)', () => {
    const scratch = mkdtempSync(join(tmpdir(), 'dashboard-rules-'));
    try {
      const rules = dashboardExpressions().map(({ expr }, i) => ({ record: `dashboard:expr_${i}`, expr }));
      writeFileSync(join(scratch, 'dashboard.yaml'), stringify({ groups: [{ name: 'dashboard', rules }] }));
      const { status, output } = promtool(['check', 'rules', join(scratch, 'dashboard.yaml')]);
      expect(output).toContain(`SUCCESS: ${rules.length} rules found`);
      expect(status).toBe(0);
    } finally {
      rmSync(scratch, { recursive: true, force: true });
    }
  });

  it('would report a misspelt metric and a syntax error (so the checks above can fail)', () => {
    expect(selectedMetrics('sum(rate(grpc_server_handeld_total[5m])) by (le)').names).toEqual([
      'grpc_server_handeld_total',
    ]);
    expect(selectedMetrics('sum(rate(http_request_duration_seconds_count[5m])').errors).not.toEqual([]);
    expect(exposed.has('grpc_server_handeld_total')).toBe(false);
  });
});
