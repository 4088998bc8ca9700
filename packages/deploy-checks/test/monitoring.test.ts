import { spawnSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse } from 'yaml';
import { find, K8S, loadManifests, matches, ROOT, validateFolder, type K8sObject } from './support/manifests';

const MONITORING = join(K8S, 'monitoring');
const GENERATOR = join(__dirname, '..', 'generate-prometheus-rule.mjs');
const objects = loadManifests(MONITORING);
const app = loadManifests();
const podMonitors = objects.filter((o) => o.kind === 'PodMonitor');

interface Selector {
  matchLabels?: Record<string, string>;
  matchExpressions?: { key: string; operator: string; values: string[] }[];
}
/** Label selector semantics for the operators used in k8s/ (matchLabels, In). */
function selects(selector: Selector, labels: Record<string, string>): boolean {
  return (
    matches(selector.matchLabels ?? {}, labels) &&
    (selector.matchExpressions ?? []).every((e) => e.operator === 'In' && e.values.includes(labels[e.key] ?? ''))
  );
}

describe('k8s/monitoring (Prometheus Operator objects)', () => {
  it('are valid against the operator’s CRD schemas', () => {
    const results = validateFolder(MONITORING);
    expect(results.map((r) => r.kind).sort()).toEqual(['PodMonitor', 'PodMonitor', 'PrometheusRule']);
    expect(results.filter((r) => r.errors.length > 0)).toEqual([]);
  });

  it('would be reported when broken (so the check above can fail)', () => {
    const scratch = mkdtempSync(join(tmpdir(), 'k8s-monitoring-'));
    try {
      for (const file of readdirSync(MONITORING)) copyFileSync(join(MONITORING, file), join(scratch, file));
      const monitors = readFileSync(join(scratch, 'pod-monitors.yaml'), 'utf8');
      writeFileSync(join(scratch, 'pod-monitors.yaml'), monitors.replace('interval: 15s', 'interval: fifteen'));
      const rule = readFileSync(join(scratch, 'prometheus-rule.yaml'), 'utf8');
      writeFileSync(join(scratch, 'prometheus-rule.yaml'), rule.replace('expr: vector(0.999)', 'exp: vector(0.999)'));
      const errors = validateFolder(scratch).flatMap((r) => r.errors);
      expect(errors).toEqual(
        expect.arrayContaining([
          expect.stringMatching(/interval must match pattern/),
          expect.stringMatching(/must have required property expr/),
        ]),
      );
    } finally {
      rmSync(scratch, { recursive: true, force: true });
    }
  });

  it('carry exactly the groups of monitoring/rules (generated from them)', () => {
    const check = spawnSync(process.execPath, [GENERATOR, '--check'], { encoding: 'utf8' });
    expect(check.stderr).toBe('');
    expect(check.status).toBe(0);
    const rulesDir = join(ROOT, 'monitoring', 'rules');
    const groups = readdirSync(rulesDir)
      .filter((f) => f.endsWith('.yaml'))
      .sort()
      .flatMap((f) => (parse(readFileSync(join(rulesDir, f), 'utf8')) as { groups: unknown[] }).groups);
    expect(find(objects, 'PrometheusRule', 'bookstore-slos').spec.groups).toEqual(groups);
    expect(groups.length).toBeGreaterThanOrEqual(7);
  });

  it('live in the bookstore namespace and select only the bookstore’s own pods, by name', () => {
    for (const o of objects) {
      expect([o.kind, o.metadata.name, (o.metadata as { namespace?: string }).namespace]).toEqual([
        o.kind,
        o.metadata.name,
        'bookstore',
      ]);
      expect(o.metadata.labels?.['app.kubernetes.io/part-of']).toBe('bookstore');
    }
    for (const m of podMonitors)
      expect(m.spec.selector.matchLabels).toEqual({
        'app.kubernetes.io/name': m.metadata.name,
        'app.kubernetes.io/part-of': 'bookstore',
      });
  });

  it('scrape every Deployment’s metrics port, under the job names the rules select, through the NetworkPolicies', () => {
    const deployments = app.filter((o) => o.kind === 'Deployment');
    const policies = app.filter((o) => o.kind === 'NetworkPolicy');
    const rules = readFileSync(join(MONITORING, 'prometheus-rule.yaml'), 'utf8');
    expect(podMonitors.map((m) => m.metadata.name).sort()).toEqual(deployments.map((d) => d.metadata.name).sort());
    for (const monitor of podMonitors) {
      const deployment = deployments.find((d) => selects(monitor.spec.selector, d.spec.template.metadata.labels));
      expect(deployment).toBeDefined();
      const pod = (deployment as K8sObject).spec.template;
      const job = pod.metadata.labels[monitor.spec.jobLabel];
      expect(job).toBe(monitor.metadata.name);
      if (job === 'recommendations') expect(rules).toContain(`job="${job}"`);
      for (const endpoint of monitor.spec.podMetricsEndpoints) {
        const port = pod.spec.containers[0].ports.find((p: { name: string }) => p.name === endpoint.port);
        expect([endpoint.port, port?.containerPort]).toEqual([endpoint.port, expect.any(Number)]);
        const admitted = policies.some(
          (p) =>
            selects(p.spec.podSelector, pod.metadata.labels) &&
            (p.spec.ingress ?? []).some(
              (rule: { from?: { namespaceSelector?: Selector }[]; ports?: { port: number }[] }) =>
                (rule.from ?? []).some((f) =>
                  selects(f.namespaceSelector ?? {}, { 'kubernetes.io/metadata.name': 'monitoring' }),
                ) && (rule.ports ?? []).some((p) => p.port === port.containerPort),
            ),
        );
        expect([monitor.metadata.name, admitted]).toEqual([monitor.metadata.name, true]);
      }
    }
  });

  it('are not applied by `kubectl apply -f k8s/` (clusters without the operator’s CRDs)', () => {
    expect(app.some((o) => o.apiVersion.startsWith('monitoring.coreos.com/'))).toBe(false);
    expect(existsSync(join(MONITORING, 'prometheus-rule.yaml'))).toBe(true);
  });
});
