import { find, loadManifests, matches, type K8sObject } from './support/manifests';

const objects = loadManifests();
const deployments = objects.filter((o) => o.kind === 'Deployment');
/** Everything that runs pods: the Deployments and Valkey's StatefulSet (valkey.test.ts). */
const workloads = objects.filter((o) => o.kind === 'Deployment' || o.kind === 'StatefulSet');
const services = objects.filter((o) => o.kind === 'Service');
const policies = objects.filter((o) => o.kind === 'NetworkPolicy');
const containerOf = (d: K8sObject) => d.spec.template.spec.containers[0];
const portsOf = (d: K8sObject): { name: string; containerPort: number }[] => containerOf(d).ports;
const SERVICES = ['recommendations', 'marketplace'];
const PART_OF = { 'app.kubernetes.io/part-of': 'bookstore' };
const podLabels = (name: string) => ({ 'app.kubernetes.io/name': name, ...PART_OF });

/** A probe's port as a number, resolving named ports against the container. */
function probePort(
  d: K8sObject,
  probe: { grpc?: { port: number }; httpGet?: { port: number | string } },
): number | undefined {
  const port = probe.grpc?.port ?? probe.httpGet?.port;
  return typeof port === 'number' ? port : portsOf(d).find((p) => p.name === port)?.containerPort;
}

describe('k8s/ layout', () => {
  it('has both Deployments, their replicas left to the HPA (autoscaling.test.ts), and pinned image tags', () => {
    expect(deployments.map((d) => d.metadata.name).sort()).toEqual(['marketplace', 'recommendations']);
    for (const d of deployments) {
      expect(d.spec.replicas).toBeUndefined();
      expect(containerOf(d).image).toMatch(/^[\w./-]+:(?!latest$)[\w.-]+$/);
    }
  });

  it('configures the services through ConfigMaps; the marketplace dials the headless Service', () => {
    for (const d of deployments) {
      const ref = containerOf(d).envFrom[0].configMapRef.name;
      expect(find(objects, 'ConfigMap', ref)).toBeDefined();
    }
    expect(find(objects, 'ConfigMap', 'marketplace-config').data.RECOMMENDATIONS_ADDR).toBe(
      'dns:///recommendations-headless:50051',
    );
  });

  it('logs a sample of successful calls, not each one (failures and slow calls always)', () => {
    for (const name of SERVICES) {
      const { data } = find(objects, 'ConfigMap', `${name}-config`);
      expect(Number(data.ACCESS_LOG_SAMPLE_RATE ?? '0.01')).toBeLessThanOrEqual(0.01);
      expect(Number(data.ACCESS_LOG_SLOW_MS)).toBeGreaterThan(0);
    }
  });
});

describe('selectors, ports and probes', () => {
  it('selects each Deployment’s own pods', () => {
    for (const d of deployments)
      expect(matches(d.spec.selector.matchLabels, d.spec.template.metadata.labels)).toBe(true);
  });

  it('points every Service at pods that exist, on ports those pods declare', () => {
    for (const s of services) {
      const target = workloads.find((d) => matches(s.spec.selector, d.spec.template.metadata.labels));
      expect(target).toBeDefined();
      for (const port of s.spec.ports) {
        const declared = portsOf(target as K8sObject).some(
          (p) => p.name === port.targetPort || p.containerPort === port.targetPort,
        );
        expect(declared).toBe(true);
      }
    }
  });

  it('has the Services the system needs', () => {
    const recommendations = find(objects, 'Service', 'recommendations');
    expect(recommendations.spec.type ?? 'ClusterIP').toBe('ClusterIP');
    expect(recommendations.spec.ports).toEqual([expect.objectContaining({ name: 'grpc', port: 50051 })]);
    expect(find(objects, 'Service', 'recommendations-headless').spec.clusterIP).toBe('None');
    const marketplace = find(objects, 'Service', 'marketplace');
    expect(marketplace.spec.type).toBe('LoadBalancer');
    // The pods must see client addresses, or the per-address rate limit puts every user behind a
    // node in one budget (issue 25).
    expect(marketplace.spec.externalTrafficPolicy).toBe('Local');
    expect(Number(find(objects, 'ConfigMap', 'marketplace-config').data?.RATE_LIMIT_MAX)).toBeGreaterThan(0);
    expect(marketplace.spec.ports).toEqual([expect.objectContaining({ port: 80, targetPort: 'http' })]);
    expect(portsOf(find(objects, 'Deployment', 'marketplace')).find((p) => p.name === 'http')?.containerPort).toBe(
      5000,
    );
  });

  it('probes real ports; liveness and readiness ask different questions', () => {
    for (const d of deployments) {
      const c = containerOf(d);
      const declared = portsOf(d).map((p) => p.containerPort);
      for (const probe of [c.startupProbe, c.readinessProbe, c.livenessProbe]) {
        expect(probe).toBeDefined();
        expect(declared).toContain(probePort(d, probe));
      }
      expect(c.livenessProbe).not.toEqual(c.readinessProbe);
    }
    const recommendations = containerOf(find(objects, 'Deployment', 'recommendations'));
    expect(recommendations.readinessProbe.grpc).toEqual({ port: 50051, service: 'readiness' });
    expect(recommendations.livenessProbe.grpc).toEqual({ port: 50051, service: 'liveness' });
    expect(recommendations.startupProbe.grpc).toBeDefined();
    const marketplace = containerOf(find(objects, 'Deployment', 'marketplace'));
    expect(marketplace.readinessProbe.httpGet.path).toBe('/readyz');
    expect(marketplace.livenessProbe.httpGet.path).toBe('/healthz');
    // On the metrics port, outside the public port's connection cap: a flood of clients there
    // must not fail the probes and get the pod pulled (issue 18).
    const deployment = find(objects, 'Deployment', 'marketplace');
    for (const probe of [marketplace.startupProbe, marketplace.readinessProbe, marketplace.livenessProbe])
      expect(probePort(deployment, probe)).toBe(9091);
  });
});

describe('Pod Security Standards "restricted" and operations', () => {
  it.each(SERVICES)('%s runs as 10001 with no privileges and a read-only root', (name) => {
    const d = find(objects, 'Deployment', name);
    const pod = d.spec.template.spec;
    expect(pod.securityContext).toMatchObject({
      runAsNonRoot: true,
      runAsUser: 10001,
      seccompProfile: { type: 'RuntimeDefault' },
    });
    expect(containerOf(d).securityContext).toEqual({
      allowPrivilegeEscalation: false,
      readOnlyRootFilesystem: true,
      runAsNonRoot: true,
      capabilities: { drop: ['ALL'] },
    });
    const tmp = containerOf(d).volumeMounts.find((m: { mountPath: string }) => m.mountPath === '/tmp');
    expect(pod.volumes.find((v: { name: string }) => v.name === tmp.name).emptyDir).toBeDefined();
  });

  it.each(SERVICES)('%s has its own ServiceAccount and mounts no token', (name) => {
    const pod = find(objects, 'Deployment', name).spec.template.spec;
    expect(pod.serviceAccountName).toBe(name);
    expect(pod.automountServiceAccountToken).toBe(false);
    expect(find(objects, 'ServiceAccount', name).automountServiceAccountToken).toBe(false);
  });

  it.each(SERVICES)('%s requests and limits cpu, memory and ephemeral storage', (name) => {
    const { requests, limits } = containerOf(find(objects, 'Deployment', name)).resources;
    for (const resources of [requests, limits])
      expect(Object.keys(resources).sort()).toEqual(['cpu', 'ephemeral-storage', 'memory']);
  });

  it.each(SERVICES)('%s has a PodDisruptionBudget and spreads over nodes', (name) => {
    const d = find(objects, 'Deployment', name);
    const pdb = find(objects, 'PodDisruptionBudget', name);
    expect(pdb.spec).toMatchObject({ maxUnavailable: 1, unhealthyPodEvictionPolicy: 'AlwaysAllow' });
    expect(matches(pdb.spec.selector.matchLabels, d.spec.template.metadata.labels)).toBe(true);
    expect(d.spec.template.spec.topologySpreadConstraints[0]).toMatchObject({
      topologyKey: 'kubernetes.io/hostname',
      maxSkew: 1,
    });
  });

  it.each(SERVICES)('%s gives preStop plus the drain time to finish before SIGKILL', (name) => {
    const d = find(objects, 'Deployment', name);
    const preStop = containerOf(d).lifecycle.preStop.sleep.seconds as number;
    const config = find(objects, 'ConfigMap', `${name}-config`);
    const drainSeconds = Number(config.data.SHUTDOWN_GRACE_MS) / 1000;
    expect(d.spec.template.spec.terminationGracePeriodSeconds).toBeGreaterThan(preStop + drainSeconds);
  });
});

describe('NetworkPolicies', () => {
  const allows = (policy: K8sObject, direction: 'ingress' | 'egress', port: number) =>
    (policy.spec[direction] ?? []).some((rule: { ports?: { port: number }[] }) =>
      rule.ports?.some((p) => p.port === port),
    );

  it('deny everything by default to every bookstore pod (and only to those)', () => {
    expect(
      policies
        .find((p) => matches(p.spec.podSelector.matchLabels, PART_OF) && !p.spec.ingress && !p.spec.egress)
        ?.spec.policyTypes.sort(),
    ).toEqual(['Egress', 'Ingress']);
  });

  it('allow DNS, marketplace → recommendations on 50051, the public port, and metrics from monitoring', () => {
    expect(policies.some((p) => allows(p, 'egress', 53))).toBe(true);
    const egress = policies.find(
      (p) => matches(p.spec.podSelector.matchLabels ?? {}, podLabels('marketplace')) && allows(p, 'egress', 50051),
    );
    expect(egress?.spec.egress[0].to[0].podSelector.matchLabels).toEqual(podLabels('recommendations'));
    const ingress = policies.find(
      (p) =>
        p.spec.podSelector.matchLabels?.['app.kubernetes.io/name'] === 'recommendations' && allows(p, 'ingress', 50051),
    );
    expect(ingress?.spec.ingress[0].from[0].podSelector.matchLabels).toEqual(podLabels('marketplace'));
    expect(
      policies.some(
        (p) =>
          p.spec.podSelector.matchLabels?.['app.kubernetes.io/name'] === 'marketplace' && allows(p, 'ingress', 5000),
      ),
    ).toBe(true);
    const metrics = policies.find((p) => allows(p, 'ingress', 9090) && allows(p, 'ingress', 9091));
    expect(metrics?.spec.ingress[0].from[0].namespaceSelector.matchLabels).toEqual({
      'kubernetes.io/metadata.name': 'monitoring',
    });
  });
});
