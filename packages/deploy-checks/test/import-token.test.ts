import { find, loadManifests } from './support/manifests';

const objects = loadManifests();
type Container = { volumeMounts?: { name: string; mountPath: string; readOnly?: boolean }[] };
type PodSpec = {
  containers: Container[];
  volumes?: { name: string; secret?: { secretName: string; optional?: boolean } }[];
};
const podOf = (name: string) => find(objects, 'Deployment', name).spec.template.spec as PodSpec;
const config = find(objects, 'ConfigMap', 'recommendations-config').data as Record<string, string>;

describe('the ImportEvents token (issue #24)', () => {
  it('reaches Recommendations as a read-only file from an optional Secret, at IMPORT_TOKEN_FILE', () => {
    const pod = podOf('recommendations');
    const volume = pod.volumes?.find((v) => v.secret?.secretName === 'recommendations-import-token');
    expect(volume?.secret?.optional).toBe(true);
    const mount = pod.containers[0]?.volumeMounts?.find((m) => m.name === volume?.name);
    expect(mount?.readOnly).toBe(true);
    expect(config.IMPORT_TOKEN_FILE?.startsWith(`${mount?.mountPath}/`)).toBe(true);
  });

  it('never reaches the Marketplace, which records events but must not import them', () => {
    const pod = podOf('marketplace');
    expect(JSON.stringify(pod)).not.toContain('import-token');
    const marketConfig = find(objects, 'ConfigMap', 'marketplace-config').data as Record<string, string>;
    expect(Object.keys(marketConfig)).not.toContain('IMPORT_TOKEN_FILE');
  });
});
