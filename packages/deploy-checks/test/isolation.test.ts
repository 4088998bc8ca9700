import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { documentedNamespaces, readDeployDoc } from './support/deploy-doc';
import { checkIsolation, requiresLabels, type IsolationRules } from './support/isolation';
import { K8S, loadManifestTree } from './support/manifests';

const LABELS = { 'app.kubernetes.io/part-of': 'bookstore' };
const rules: IsolationRules = { labels: LABELS, namespaces: documentedNamespaces(readDeployDoc()), home: 'bookstore' };

/** Writes `files` (relative path → YAML) to a fresh temporary folder, runs `use` on it, removes it. */
function withScratch(files: Record<string, string>, use: (folder: string) => void): void {
  const folder = mkdtempSync(join(tmpdir(), 'k8s-isolation-'));
  try {
    for (const [file, text] of Object.entries(files)) {
      mkdirSync(join(folder, file, '..'), { recursive: true });
      writeFileSync(join(folder, file), text);
    }
    use(folder);
  } finally {
    rmSync(folder, { recursive: true, force: true });
  }
}

describe('k8s/ touches nothing but the bookstore', () => {
  it('lists the bookstore’s own namespace in docs/deploy.md', () => {
    expect(rules.namespaces).toContain('bookstore');
  });

  it('selects only pods with the bookstore’s label and names only listed namespaces, sub-folders included', () => {
    const report = checkIsolation(K8S, rules);
    expect(report.findings).toEqual([]);
    expect(report.fragments).toEqual(['mtls/patches/marketplace.yaml', 'mtls/patches/recommendations.yaml']);
    expect(report.checked).toEqual(
      expect.arrayContaining([
        'network-policies.yaml NetworkPolicy/default-deny-all spec.podSelector',
        'network-policies.yaml NetworkPolicy/allow-dns-egress spec.podSelector',
        'network-policies.yaml NetworkPolicy/allow-dns-egress spec.egress[0].to[0].namespaceSelector',
        'network-policies.yaml NetworkPolicy/marketplace-to-recommendations spec.egress[0].to[0].podSelector',
        'network-policies.yaml NetworkPolicy/metrics-from-monitoring spec.ingress[0].from[0].namespaceSelector',
        'marketplace.yaml Deployment/marketplace spec.selector',
        'marketplace.yaml Service/marketplace spec.selector',
        'recommendations.yaml PodDisruptionBudget/recommendations spec.selector',
        'recommendations.yaml Deployment/recommendations spec.template.spec.topologySpreadConstraints[0].labelSelector',
        'valkey.yaml StatefulSet/valkey spec.selector',
        'valkey.yaml Service/valkey spec.selector',
        'network-policies.yaml NetworkPolicy/valkey-from-recommendations spec.ingress[0].from[0].podSelector',
        'managed-store/network-policy.yaml NetworkPolicy/recommendations-to-managed-store spec.podSelector',
      ]),
    );
  });

  it('creates namespace bookstore first (kubectl applies a folder in lexical order) and puts everything in it', () => {
    // The top level is what `kubectl apply -f k8s/` applies.
    const applied = loadManifestTree(K8S).filter(({ file }) => !file.includes('/'));
    const namespace = applied.find(({ object }) => object.kind === 'Namespace' && object.metadata.name === 'bookstore');
    expect(namespace?.file).toBe('00-namespace.yaml');
    const others = applied.filter(({ object }) => object.kind !== 'Namespace');
    expect(others.length).toBeGreaterThan(10);
    for (const { file, object } of others) {
      expect(`${file} ${object.kind}/${object.metadata.name} ${object.metadata.namespace}`).toMatch(/ bookstore$/);
      expect(file > '00-namespace.yaml').toBe(true);
    }
  });

  it('reads selectors the way Kubernetes matches them', () => {
    const key = 'app.kubernetes.io/part-of';
    expect(requiresLabels({ matchExpressions: [{ key, operator: 'In', values: ['bookstore'] }] }, LABELS)).toBe(true);
    expect(requiresLabels({ matchExpressions: [{ key, operator: 'In', values: ['bookstore', 'x'] }] }, LABELS)).toBe(
      false,
    );
    expect(requiresLabels({ matchExpressions: [{ key, operator: 'Exists' }] }, LABELS)).toBe(false);
    expect(requiresLabels({ matchLabels: {} }, LABELS)).toBe(false);
    expect(requiresLabels({}, LABELS)).toBe(false);
    expect(requiresLabels(undefined, LABELS)).toBe(false);
    expect(requiresLabels({ [key]: 'bookstore', app: 'web' }, LABELS)).toBe(true);
  });
});

describe('the isolation check can fail', () => {
  const sharedDefaultDeny = `apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: { name: default-deny-all, namespace: default }
spec:
  podSelector: {}
  policyTypes: [Ingress, Egress]
`;

  it('reports podSelector: {} in a shared namespace', () => {
    withScratch({ 'network-policies.yaml': sharedDefaultDeny }, (folder) => {
      expect(checkIsolation(folder, rules).findings).toEqual([
        'network-policies.yaml NetworkPolicy/default-deny-all metadata.namespace: names namespace "default", which docs/deploy.md does not list',
        `network-policies.yaml NetworkPolicy/default-deny-all spec.podSelector: would match pods without ${JSON.stringify(LABELS)}: {}`,
      ]);
    });
  });

  it('reports open peers, ServiceMonitors, Services, pod templates and HPAs, in sub-folders too', () => {
    const monitoring = `apiVersion: monitoring.coreos.com/v1
kind: ServiceMonitor
metadata: { name: bookstore, namespace: bookstore }
spec:
  selector: { matchLabels: { app.kubernetes.io/name: marketplace } }
  namespaceSelector: { any: true }
  endpoints: [{ port: metrics }]
---
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: { name: from-anywhere, namespace: bookstore }
spec:
  podSelector: { matchLabels: { app.kubernetes.io/part-of: bookstore } }
  ingress:
    - from:
        - namespaceSelector: {}
        - namespaceSelector: { matchLabels: { kubernetes.io/metadata.name: bookstore } }
          podSelector: {}
        - namespaceSelector: { matchLabels: { kubernetes.io/metadata.name: kube-system } }
          podSelector: { matchLabels: { k8s-app: kube-dns } }
`;
    const extra = `apiVersion: v1
kind: Service
metadata: { name: stray }
spec:
  selector: { app: web }
  ports: [{ port: 80 }]
---
apiVersion: apps/v1
kind: Deployment
metadata: { name: web, namespace: bookstore }
spec:
  selector: { matchLabels: { app: web } }
  template:
    metadata: { labels: { app: web } }
    spec: { containers: [{ name: web, image: nginx }] }
---
apiVersion: autoscaling/v2
kind: HorizontalPodAutoscaler
metadata: { name: api, namespace: bookstore }
spec:
  scaleTargetRef: { apiVersion: apps/v1, kind: Deployment, name: api }
  minReplicas: 1
  maxReplicas: 3
`;
    withScratch({ 'monitoring/scrape.yaml': monitoring, 'mtls/deep/extra.yml': extra }, (folder) => {
      const without = `would match pods without ${JSON.stringify(LABELS)}`;
      expect(checkIsolation(folder, rules).findings).toEqual([
        `monitoring/scrape.yaml ServiceMonitor/bookstore spec.selector: ${without}: {"matchLabels":{"app.kubernetes.io/name":"marketplace"}}`,
        'monitoring/scrape.yaml ServiceMonitor/bookstore spec.namespaceSelector: could match any namespace (pin it by kubernetes.io/metadata.name or matchNames)',
        'monitoring/scrape.yaml NetworkPolicy/from-anywhere spec.ingress[0].from[0].namespaceSelector: could match any namespace (pin it by kubernetes.io/metadata.name or matchNames)',
        `monitoring/scrape.yaml NetworkPolicy/from-anywhere spec.ingress[0].from[0].podSelector: ${without}: undefined`,
        `monitoring/scrape.yaml NetworkPolicy/from-anywhere spec.ingress[0].from[1].podSelector: ${without}: {}`,
        'mtls/deep/extra.yml Service/stray metadata: no metadata.namespace: it would land in whatever namespace is current',
        `mtls/deep/extra.yml Service/stray spec.selector: ${without}: {"app":"web"}`,
        `mtls/deep/extra.yml Deployment/web spec.selector: ${without}: {"matchLabels":{"app":"web"}}`,
        "mtls/deep/extra.yml Deployment/web spec.template.metadata.labels: a pod template without the bookstore's labels: its pods escape the policies",
        'mtls/deep/extra.yml HorizontalPodAutoscaler/api spec.scaleTargetRef: scales Deployment/api, which is not in this folder',
      ]);
    });
  });
});
