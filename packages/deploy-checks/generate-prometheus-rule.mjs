// Writes k8s/monitoring/prometheus-rule.yaml: the groups of monitoring/rules/*.yaml (the plain
// Prometheus files, the source) in one PrometheusRule for the Prometheus Operator.
// Usage: node packages/deploy-checks/generate-prometheus-rule.mjs [--check]
//   --check: write nothing, exit 1 when the committed file differs (the deploy-checks test does this).
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import process from 'node:process';
import { join } from 'node:path';
import { parse, stringify } from 'yaml';

const root = join(import.meta.dirname, '..', '..');
const rulesDir = join(root, 'monitoring', 'rules');
const target = join(root, 'k8s', 'monitoring', 'prometheus-rule.yaml');

export function prometheusRuleYaml() {
  const groups = readdirSync(rulesDir)
    .filter((f) => f.endsWith('.yaml'))
    .sort()
    .flatMap((f) => parse(readFileSync(join(rulesDir, f), 'utf8')).groups);
  const rule = {
    apiVersion: 'monitoring.coreos.com/v1',
    kind: 'PrometheusRule',
    metadata: {
      name: 'bookstore-slos',
      namespace: 'bookstore',
      labels: { 'app.kubernetes.io/name': 'bookstore-slos', 'app.kubernetes.io/part-of': 'bookstore' },
    },
    spec: { groups },
  };
  return (
    '# Generated from monitoring/rules/*.yaml by packages/deploy-checks/generate-prometheus-rule.mjs; do not edit.\n' +
    '# SLOs, burn-rate and symptom alerts, runbooks: docs/slos.md.\n' +
    stringify(rule, { lineWidth: 0 })
  );
}

if (process.argv[1] === import.meta.filename) {
  const wanted = prometheusRuleYaml();
  if (process.argv.includes('--check')) {
    const current = readFileSync(target, 'utf8');
    if (current !== wanted) {
      process.stderr.write(
        `${target} differs from monitoring/rules: run node packages/deploy-checks/generate-prometheus-rule.mjs\n`,
      );
      process.exit(1);
    }
  } else writeFileSync(target, wanted);
}
