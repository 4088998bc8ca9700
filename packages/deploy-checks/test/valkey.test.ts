import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import { find, loadManifests, matches, ROOT } from './support/manifests';

const objects = loadManifests();
const statefulSet = find(objects, 'StatefulSet', 'valkey');
const pod = statefulSet.spec.template.spec;
const container = pod.containers[0];
const LABELS = { 'app.kubernetes.io/name': 'valkey', 'app.kubernetes.io/part-of': 'bookstore' };

type ComposeService = {
  image?: string;
  user?: string;
  command?: string[];
  volumes?: string[];
  ports?: string[];
  environment?: Record<string, string>;
  depends_on?: Record<string, { condition: string }>;
  healthcheck?: { test: string[] };
  read_only?: boolean;
  cap_drop?: string[];
  networks?: string[];
};
// merge: the services share `<<: *hardening`, which compose resolves as YAML 1.1 merge keys.
const compose = parse(readFileSync(join(ROOT, 'compose.yaml'), 'utf8'), { merge: true }) as {
  services: Record<string, ComposeService>;
  volumes?: Record<string, unknown>;
};
const valkey = compose.services.valkey as ComposeService;

describe('k8s/valkey.yaml: the event store (issue #23)', () => {
  it('is one StatefulSet replica of the pinned Valkey image, appending to a file on its claim', () => {
    expect(statefulSet.metadata.labels).toEqual(LABELS);
    expect(statefulSet.spec.replicas).toBe(1);
    expect(matches(statefulSet.spec.selector.matchLabels, statefulSet.spec.template.metadata.labels)).toBe(true);
    expect(container.image).toMatch(/^valkey\/valkey:(?!latest$)[\w.-]+$/);
    const args = (container.args ?? []).join(' ');
    expect(args).toMatch(/^valkey-server /);
    expect(args).toContain('--appendonly yes');
    expect(args).toContain('--dir /data');
    expect(args).toContain('--maxmemory-policy noeviction');
  });

  it('keeps /data on a 1Gi ReadWriteOnce PersistentVolumeClaim that outlives the StatefulSet', () => {
    const [claim] = statefulSet.spec.volumeClaimTemplates;
    expect(claim.metadata.name).toBe('data');
    expect(claim.spec.accessModes).toEqual(['ReadWriteOnce']);
    expect(claim.spec.resources.requests.storage).toBe('1Gi');
    expect(container.volumeMounts).toContainEqual({ name: 'data', mountPath: '/data' });
    expect(statefulSet.spec.persistentVolumeClaimRetentionPolicy).toEqual({
      whenDeleted: 'Retain',
      whenScaled: 'Retain',
    });
  });

  it('runs as the image’s valkey user (999) with no privileges, a read-only root and no token', () => {
    expect(pod.securityContext).toMatchObject({
      runAsNonRoot: true,
      runAsUser: 999,
      runAsGroup: 999,
      fsGroup: 999,
      seccompProfile: { type: 'RuntimeDefault' },
    });
    expect(container.securityContext).toEqual({
      allowPrivilegeEscalation: false,
      readOnlyRootFilesystem: true,
      runAsNonRoot: true,
      capabilities: { drop: ['ALL'] },
    });
    expect(pod.serviceAccountName).toBe('valkey');
    expect(pod.automountServiceAccountToken).toBe(false);
    expect(find(objects, 'ServiceAccount', 'valkey').automountServiceAccountToken).toBe(false);
  });

  it('requests and limits resources, with maxmemory under the memory limit', () => {
    const { requests, limits } = container.resources;
    for (const resources of [requests, limits])
      expect(Object.keys(resources).sort()).toEqual(['cpu', 'ephemeral-storage', 'memory']);
    const args: string[] = container.args;
    const maxmemory = parseInt(args[args.indexOf('--maxmemory') + 1] as string, 10); // "256mb"
    expect(maxmemory).toBeLessThanOrEqual(parseInt(limits.memory, 10) / 2); // "512Mi": room for a rewrite
  });

  it('is ready on PONG and alive while it accepts connections, on the port it declares', () => {
    expect(container.ports).toEqual([{ name: 'valkey', containerPort: 6379, protocol: 'TCP' }]);
    expect(container.readinessProbe.exec.command.join(' ')).toContain('valkey-cli ping');
    expect(container.livenessProbe.tcpSocket.port).toBe('valkey');
  });

  it('is reached as Service valkey on 6379 (the address STORE_URL names), governed by a headless Service', () => {
    const service = find(objects, 'Service', 'valkey');
    expect(service.spec.type).toBe('ClusterIP');
    expect(service.spec.selector).toEqual(LABELS);
    expect(service.spec.ports).toEqual([expect.objectContaining({ port: 6379, targetPort: 'valkey' })]);
    const headless = find(objects, 'Service', statefulSet.spec.serviceName);
    expect(headless.spec.clusterIP).toBe('None');
    expect(headless.spec.selector).toEqual(LABELS);
    expect(find(objects, 'ConfigMap', 'recommendations-config').data.STORE_URL).toBe('redis://valkey:6379');
    expect(find(objects, 'ConfigMap', 'marketplace-config').data.STORE_URL).toBeUndefined();
  });

  it('has the NetworkPolicies that admit Recommendations only (network-flows.test.ts evaluates them)', () => {
    const policy = (name: string) => find(objects, 'NetworkPolicy', name);
    expect(policy('valkey-from-recommendations').spec.podSelector.matchLabels).toEqual(LABELS);
    expect(policy('recommendations-to-valkey').spec.egress[0].to[0].podSelector.matchLabels).toEqual(LABELS);
  });
});

describe('compose.yaml: Valkey beside the services', () => {
  it('runs the image and arguments of k8s/valkey.yaml, as the image’s user, hardened like the others', () => {
    expect(valkey.image).toBe(container.image);
    expect(valkey.command).toEqual(container.args);
    expect(valkey.user).toBe('999:999');
    expect(valkey.read_only).toBe(true);
    expect(valkey.cap_drop).toEqual(['ALL']);
    expect(valkey.networks).toEqual(['bookstore']);
  });

  it('keeps its data on a named volume, publishes no port, and reports healthy on PONG', () => {
    expect(valkey.volumes).toEqual(['valkey-data:/data']);
    expect(Object.keys(compose.volumes ?? {})).toContain('valkey-data');
    expect(valkey.ports).toBeUndefined();
    expect(valkey.healthcheck?.test.join(' ')).toContain('valkey-cli ping');
  });

  it('gives Recommendations STORE_URL and starts it once Valkey is healthy', () => {
    const recommendations = compose.services.recommendations as ComposeService;
    expect(recommendations.environment?.STORE_URL).toBe('redis://valkey:6379');
    expect(recommendations.depends_on?.valkey).toEqual({ condition: 'service_healthy' });
    expect(compose.services.marketplace?.environment?.STORE_URL).toBeUndefined();
  });

  it('is built by scripts/ensure-docker.sh from the stand-in where Docker Hub is out of reach', () => {
    const script = readFileSync(join(ROOT, 'scripts', 'ensure-docker.sh'), 'utf8');
    expect(script).toContain('stand-in-valkey-image.sh');
    // The script reads the image from compose.yaml with this pattern.
    const line = readFileSync(join(ROOT, 'compose.yaml'), 'utf8')
      .split('\n')
      .find((l) => /^ *image: *valkey\/valkey:[^ ]* *$/.test(l));
    expect(line?.trim()).toBe(`image: ${container.image}`);
    const e2e = readFileSync(join(ROOT, 'scripts', 'e2e.sh'), 'utf8');
    expect(e2e).toMatch(/^ {2}containers=5$/m); // 3 recommendations, the marketplace, Valkey
  });
});
