import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse, stringify } from 'yaml';
import { find, K8S, loadManifests, validateFolder, type K8sObject } from './support/manifests';
import { restrictedViolations } from './support/pod-security';

const MTLS = join(K8S, 'mtls');

/**
 * kubectl's strategic merge as far as these patches use it: objects merge, lists of objects merge
 * by `name` (containers, env, ports, volumes, volumeMounts), anything else is replaced.
 */
function strategicMerge(base: unknown, patch: unknown): unknown {
  if (Array.isArray(base) && Array.isArray(patch) && patch.every((item) => item?.name !== undefined)) {
    const merged = base.map((item) => {
      const update = patch.find((p) => p.name === item?.name);
      return update === undefined ? item : strategicMerge(item, update);
    });
    return [...merged, ...patch.filter((p) => !base.some((item) => item?.name === p.name))];
  }
  if (
    typeof base === 'object' &&
    base !== null &&
    typeof patch === 'object' &&
    patch !== null &&
    !Array.isArray(patch)
  ) {
    const result: Record<string, unknown> = { ...(base as Record<string, unknown>) };
    for (const [key, value] of Object.entries(patch)) result[key] = strategicMerge(result[key], value);
    return result;
  }
  return patch;
}

function patched(name: string): K8sObject {
  const patch = parse(readFileSync(join(MTLS, 'patches', `${name}.yaml`), 'utf8')) as object;
  return strategicMerge(find(loadManifests(), 'Deployment', name), patch) as K8sObject;
}
const container = (d: K8sObject) => d.spec.template.spec.containers[0];
const env = (d: K8sObject) =>
  Object.fromEntries(container(d).env.map((e: { name: string; value: string }) => [e.name, e.value]));

describe('k8s/mtls: cert-manager objects and the patches that turn mutual TLS on', () => {
  const objects = loadManifests(MTLS);

  it('holds a valid Issuer chain and two Certificates (cert-manager schemas), all in namespace bookstore', () => {
    const results = validateFolder(MTLS);
    expect(results.map((r) => `${r.kind}/${r.name}`).sort()).toEqual([
      'Certificate/bookstore-ca',
      'Certificate/marketplace-tls',
      'Certificate/recommendations-tls',
      'Issuer/bookstore-ca',
      'Issuer/bookstore-selfsigned',
    ]);
    expect(results.filter((r) => r.errors.length > 0)).toEqual([]);
    for (const o of objects) {
      expect((o.metadata as { namespace?: string }).namespace).toBe('bookstore');
      expect(o.metadata.labels?.['app.kubernetes.io/part-of']).toBe('bookstore');
    }
  });

  it('the schema check can fail on a Certificate', () => {
    const scratch = mkdtempSync(join(tmpdir(), 'mtls-'));
    try {
      const broken = readFileSync(join(MTLS, 'certificates.yaml'), 'utf8').replace(
        '\n  secretName: marketplace-tls\n',
        '\n',
      );
      writeFileSync(join(scratch, 'certificates.yaml'), broken);
      const errors = validateFolder(scratch).flatMap((r) => r.errors);
      expect(errors).toEqual(['schema: data/spec must have required property secretName']);
    } finally {
      rmSync(scratch, { recursive: true, force: true });
    }
  });

  it('stays out of `kubectl apply -f k8s/` (plaintext on a bare cluster)', () => {
    expect(loadManifests().filter((o) => o.apiVersion.startsWith('cert-manager.io'))).toEqual([]);
  });

  it('patched Deployments are valid, mount the Secrets cert-manager writes and probe plaintext health', () => {
    const scratch = mkdtempSync(join(tmpdir(), 'mtls-patched-'));
    try {
      const recommendations = patched('recommendations');
      const marketplace = patched('marketplace');
      writeFileSync(join(scratch, 'deployments.yaml'), `${stringify(recommendations)}---\n${stringify(marketplace)}`);
      expect(validateFolder(scratch).filter((r) => r.errors.length > 0)).toEqual([]);

      const certificate = (name: string) => find(objects, 'Certificate', name).spec;
      for (const d of [recommendations, marketplace]) {
        const secret = d.spec.template.spec.volumes.find((v: { name: string }) => v.name === 'tls').secret.secretName;
        expect(objects.some((o) => o.kind === 'Certificate' && o.spec.secretName === secret)).toBe(true);
        expect(container(d).volumeMounts).toContainEqual({ name: 'tls', mountPath: '/tls', readOnly: true });
        expect(container(d).envFrom).toEqual(
          find(loadManifests(), 'Deployment', d.metadata.name).spec.template.spec.containers[0].envFrom,
        );
      }
      const health = Number(env(recommendations).HEALTH_PORT);
      expect(container(recommendations).ports).toContainEqual(expect.objectContaining({ containerPort: health }));
      for (const probe of ['startupProbe', 'readinessProbe', 'livenessProbe'])
        expect(container(recommendations)[probe].grpc.port).toBe(health);
      expect(certificate('recommendations-tls').dnsNames).toContain(env(marketplace).RECOMMENDATIONS_TLS_SERVER_NAME);
      // TLS_ALLOWED_CLIENTS matches DNS/URI subject alternative names, never the CN.
      const allowed: string[] = env(recommendations).TLS_ALLOWED_CLIENTS.split(',');
      expect(allowed.filter((name) => (certificate('marketplace-tls').dnsNames ?? []).includes(name))).not.toEqual([]);
      expect(certificate('recommendations-tls').usages).toContain('server auth');
      expect(certificate('marketplace-tls').usages).toContain('client auth');
      // Namespace bookstore enforces Pod Security "restricted": the patches must not break it.
      for (const d of [recommendations, marketplace]) expect(restrictedViolations(d.spec.template.spec)).toEqual([]);
    } finally {
      rmSync(scratch, { recursive: true, force: true });
    }
  });
});
