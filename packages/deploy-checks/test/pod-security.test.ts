import { find, loadManifests } from './support/manifests';
import { restrictedViolations } from './support/pod-security';

const objects = loadManifests();
const templates = objects.filter((o) => o.spec?.template?.spec?.containers);
const PSA = 'pod-security.kubernetes.io';

describe('Pod Security Admission on namespace bookstore (issue #25)', () => {
  it('enforces "restricted" at a pinned version, and audits and warns at the newest', () => {
    const labels = find(objects, 'Namespace', 'bookstore').metadata.labels ?? {};
    expect(labels).toMatchObject({
      [`${PSA}/enforce`]: 'restricted',
      [`${PSA}/enforce-version`]: expect.stringMatching(/^v1\.\d+$/),
      [`${PSA}/audit`]: 'restricted',
      [`${PSA}/audit-version`]: 'latest',
      [`${PSA}/warn`]: 'restricted',
      [`${PSA}/warn-version`]: 'latest',
    });
    // preStop.sleep (both Deployments) needs 1.30: enforcing an older version's rules is no use.
    expect(Number(labels[`${PSA}/enforce-version`]?.split('.')[1])).toBeGreaterThanOrEqual(30);
  });

  it('admits every pod k8s/ runs: each pod template meets "restricted"', () => {
    expect(templates.map((o) => `${o.kind}/${o.metadata.name}`).sort()).toEqual([
      'Deployment/marketplace',
      'Deployment/recommendations',
      'StatefulSet/valkey',
    ]);
    for (const o of templates)
      expect([o.metadata.name, restrictedViolations(o.spec.template.spec)]).toEqual([o.metadata.name, []]);
  });

  it('would refuse a pod that breaks it (so the check above can fail)', () => {
    const pod = {
      hostNetwork: true,
      securityContext: { runAsUser: 0, sysctls: [{ name: 'kernel.msgmax', value: '1' }] },
      volumes: [
        { name: 'host', hostPath: { path: '/' } },
        { name: 'tmp', emptyDir: {} },
      ],
      containers: [
        {
          name: 'web',
          ports: [{ containerPort: 80, hostPort: 80 }],
          securityContext: { privileged: true, capabilities: { add: ['SYS_ADMIN'] } },
        },
      ],
    };
    expect(restrictedViolations(pod)).toEqual([
      'hostNetwork is set',
      'volume host: type hostPath is not allowed',
      'sysctl kernel.msgmax is not in the safe set',
      'pod runAsUser is 0',
      'container web: privileged',
      'container web: allowPrivilegeEscalation is not false',
      'container web: runAsNonRoot is not true',
      'container web: seccompProfile is unset, not RuntimeDefault or Localhost',
      'container web: capabilities do not drop ALL',
      'container web: adds capability SYS_ADMIN',
      'container web: hostPort 80',
    ]);
    const valkey = find(objects, 'StatefulSet', 'valkey').spec.template.spec;
    const unconfined = {
      ...valkey,
      securityContext: { ...valkey.securityContext, seccompProfile: { type: 'Unconfined' } },
    };
    expect(restrictedViolations(unconfined)).toEqual([
      'container valkey: seccompProfile is Unconfined, not RuntimeDefault or Localhost',
    ]);
  });
});
