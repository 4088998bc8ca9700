import { join } from 'node:path';
import { K8S, loadManifests, validateFolder } from './support/manifests';
import { allows, podsOf, type Endpoint } from './support/network-reachability';

const objects = loadManifests();

describe('k8s/managed-store: a managed Valkey/Redis instead of valkey.yaml', () => {
  const folder = join(K8S, 'managed-store');
  const managed = loadManifests(folder);
  const withoutValkey = objects.filter((o) => !(o.metadata.labels?.['app.kubernetes.io/name'] === 'valkey'));
  const policies = [...withoutValkey, ...managed].filter((o) => o.kind === 'NetworkPolicy');
  const namespaces = { bookstore: { 'kubernetes.io/metadata.name': 'bookstore' } };
  const pods = podsOf(withoutValkey);
  const store = { ip: managed[0]?.spec.egress[0].to[0].ipBlock.cidr.replace(/\/32$/, '') as string };
  const port = managed[0]?.spec.egress[0].ports[0].port as number;

  it('is a valid NetworkPolicy, kept out of `kubectl apply -f k8s/`', () => {
    expect(validateFolder(folder).map((r) => [`${r.kind}/${r.name}`, r.errors])).toEqual([
      ['NetworkPolicy/recommendations-to-managed-store', []],
    ]);
    expect(objects.some((o) => o.metadata.name === 'recommendations-to-managed-store')).toBe(false);
  });

  it('lets Recommendations, and only Recommendations, out to the store’s address and port', () => {
    const connect = (from: string, to = store, at = port) =>
      allows(policies, { from: pods[from] as Endpoint, to, port: at }, namespaces);
    expect(connect('recommendations')).toBe(true);
    expect(connect('marketplace')).toBe(false);
    expect(connect('recommendations', store, port + 1)).toBe(false);
    expect(connect('recommendations', { ip: '198.51.100.1' })).toBe(false);
    // Without it, the default deny keeps Recommendations from the managed store.
    const shipped = withoutValkey.filter((o) => o.kind === 'NetworkPolicy');
    expect(allows(shipped, { from: pods.recommendations as Endpoint, to: store, port }, namespaces)).toBe(false);
  });
});
