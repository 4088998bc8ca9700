import { find, loadManifests, type K8sObject } from './support/manifests';
import { allows, inCidr, podsOf, selects, type Endpoint } from './support/network-reachability';

const objects = loadManifests();
const policies = objects.filter((o) => o.kind === 'NetworkPolicy');
const named = (name: string, labels: Record<string, string> = {}) => ({
  ...labels,
  'kubernetes.io/metadata.name': name,
});
const namespaces = {
  bookstore: named('bookstore', find(objects, 'Namespace', 'bookstore').metadata.labels),
  'kube-system': named('kube-system'),
  monitoring: named('monitoring'),
  default: named('default'),
};
const pods = podsOf(objects);
const pod = (name: string) => {
  const found = pods[name];
  if (!found) throw new Error(`k8s/ runs no ${name} pods`);
  return found;
};
const others: Record<string, Endpoint> = {
  'kube-dns': { pod: 'coredns', namespace: 'kube-system', labels: { 'k8s-app': 'kube-dns' } },
  'a kube-dns look-alike in default': { pod: 'fake-dns', namespace: 'default', labels: { 'k8s-app': 'kube-dns' } },
  'NodeLocal DNSCache': { ip: '169.254.20.10' },
  prometheus: { pod: 'prometheus', namespace: 'monitoring', labels: { app: 'prometheus' } },
  'an unlabelled pod in bookstore': { pod: 'debug', namespace: 'bookstore', labels: { app: 'debug' } },
  'a neighbour in default': { pod: 'web', namespace: 'default', labels: { app: 'web' } },
  'the internet': { ip: '203.0.113.7' },
};
const endpoint = (name: string) => others[name] ?? pod(name);
const open = (from: string, to: string, port: number, protocol: 'TCP' | 'UDP' = 'TCP', set = policies) =>
  allows(set, { from: endpoint(from), to: endpoint(to), port, protocol }, namespaces);

describe('the flows k8s/network-policies.yaml allows, evaluated (Kubernetes NetworkPolicy semantics)', () => {
  it.each([
    ['recommendations', 'valkey', 6379, true],
    ['marketplace', 'valkey', 6379, false],
    ['prometheus', 'valkey', 6379, false],
    ['an unlabelled pod in bookstore', 'valkey', 6379, false],
    ['a neighbour in default', 'valkey', 6379, false],
    ['recommendations', 'valkey', 6380, false],
    ['valkey', 'recommendations', 50051, false],
    ['valkey', 'the internet', 443, false],
    ['marketplace', 'recommendations', 50051, true],
    ['recommendations', 'marketplace', 5000, false],
    ['the internet', 'marketplace', 5000, true],
    ['the internet', 'recommendations', 50051, false],
    ['marketplace', 'the internet', 443, false],
    ['recommendations', 'the internet', 6379, false],
    ['prometheus', 'recommendations', 9090, true],
    ['prometheus', 'marketplace', 9091, true],
  ])('%s → %s:%d: %s', (from, to, port, expected) => {
    expect(open(from, to, port)).toBe(expected);
  });

  it.each(['recommendations', 'marketplace', 'valkey'])(
    '%s resolves names through kube-dns and through NodeLocal DNSCache, over UDP and TCP, and nothing else there',
    (name) => {
      for (const protocol of ['UDP', 'TCP'] as const) {
        expect([protocol, open(name, 'kube-dns', 53, protocol)]).toEqual([protocol, true]);
        expect([protocol, open(name, 'NodeLocal DNSCache', 53, protocol)]).toEqual([protocol, true]);
      }
      expect(open(name, 'NodeLocal DNSCache', 8080)).toBe(false);
      expect(open(name, 'kube-dns', 9153)).toBe(false);
      expect(open(name, 'a kube-dns look-alike in default', 53, 'UDP')).toBe(false);
    },
  );

  it('needs both Valkey policies, and keeps the marketplace out by the ingress rule’s `from`', () => {
    for (const dropped of ['valkey-from-recommendations', 'recommendations-to-valkey']) {
      const without = policies.filter((p) => p.metadata.name !== dropped);
      expect([dropped, open('recommendations', 'valkey', 6379, 'TCP', without)]).toEqual([dropped, false]);
    }
    // Let every bookstore pod out to Valkey and drop the `from`: now the marketplace gets in.
    const widened = policies.map((p): K8sObject => {
      if (p.metadata.name === 'recommendations-to-valkey')
        return {
          ...p,
          spec: { ...p.spec, podSelector: { matchLabels: { 'app.kubernetes.io/part-of': 'bookstore' } } },
        };
      if (p.metadata.name === 'valkey-from-recommendations')
        return { ...p, spec: { ...p.spec, ingress: [{ ports: p.spec.ingress[0].ports }] } };
      return p;
    });
    expect(open('marketplace', 'valkey', 6379, 'TCP', widened)).toBe(true);
  });
});

describe('the NetworkPolicy evaluator', () => {
  it('reads label selectors and CIDRs as Kubernetes does', () => {
    const labels = { app: 'web', tier: 'front' };
    expect(selects({}, labels)).toBe(true);
    expect(selects({ matchLabels: { app: 'web' } }, labels)).toBe(true);
    expect(selects({ matchLabels: { app: 'api' } }, labels)).toBe(false);
    expect(selects({ matchExpressions: [{ key: 'tier', operator: 'In', values: ['front', 'x'] }] }, labels)).toBe(true);
    expect(selects({ matchExpressions: [{ key: 'tier', operator: 'NotIn', values: ['front'] }] }, labels)).toBe(false);
    expect(selects({ matchExpressions: [{ key: 'zone', operator: 'DoesNotExist' }] }, labels)).toBe(true);
    expect(selects({ matchExpressions: [{ key: 'zone', operator: 'Exists' }] }, labels)).toBe(false);
    expect(inCidr('169.254.20.10', '169.254.20.10/32')).toBe(true);
    expect(inCidr('169.254.20.11', '169.254.20.10/32')).toBe(false);
    expect(inCidr('10.96.3.4', '10.96.0.0/12')).toBe(true);
    expect(inCidr('10.112.0.1', '10.96.0.0/12')).toBe(false);
  });

  it('resolves named ports on the destination pod and honours endPort and except', () => {
    const policy = (rules: object): K8sObject => ({
      apiVersion: 'networking.k8s.io/v1',
      kind: 'NetworkPolicy',
      metadata: { name: 'p', namespace: 'bookstore' },
      spec: { podSelector: {}, policyTypes: ['Egress'], egress: [rules] },
    });
    const from = { pod: 'a', namespace: 'bookstore', labels: {} };
    const to = { pod: 'b', namespace: 'bookstore', labels: {}, ports: { valkey: 6379 } };
    const named = [policy({ ports: [{ port: 'valkey' }] })];
    expect(allows(named, { from, to, port: 6379 }, namespaces)).toBe(true);
    expect(allows(named, { from, to, port: 6380 }, namespaces)).toBe(false);
    expect(allows(named, { from, to, port: 6379, protocol: 'UDP' }, namespaces)).toBe(false);
    const range = [policy({ ports: [{ port: 30000, endPort: 30010 }] })];
    expect(allows(range, { from, to, port: 30005 }, namespaces)).toBe(true);
    expect(allows(range, { from, to, port: 30011 }, namespaces)).toBe(false);
    const block = [policy({ to: [{ ipBlock: { cidr: '10.0.0.0/8', except: ['10.1.0.0/16'] } }] })];
    expect(allows(block, { from, to: { ip: '10.2.3.4' }, port: 443 }, namespaces)).toBe(true);
    expect(allows(block, { from, to: { ip: '10.1.3.4' }, port: 443 }, namespaces)).toBe(false);
    expect(allows(block, { from, to, port: 443 }, namespaces)).toBe(false);
  });
});
