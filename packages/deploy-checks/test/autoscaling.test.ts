import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseAllDocuments } from 'yaml';
import { find, K8S, loadManifests, matches, type K8sObject } from './support/manifests';

const objects = loadManifests();
const deployments = objects.filter((o) => o.kind === 'Deployment');
const hpaFor = (d: K8sObject) =>
  objects.find((o) => o.kind === 'HorizontalPodAutoscaler' && o.spec.scaleTargetRef.name === d.metadata.name);

/** CPU in millicores from a Kubernetes quantity ("100m", "1", "0.5"). */
const millicores = (q: string | number) =>
  String(q).endsWith('m') ? parseFloat(String(q)) : parseFloat(String(q)) * 1000;

describe('autoscaling (k8s/autoscaling.yaml)', () => {
  it('gives each Deployment an autoscaling/v2 HPA in the bookstore namespace: min 3, a bounded max, CPU utilisation', () => {
    for (const d of deployments) {
      const hpa = hpaFor(d);
      expect(hpa).toBeDefined();
      const { spec, metadata, apiVersion } = hpa as K8sObject;
      expect([apiVersion, (metadata as { namespace?: string }).namespace]).toEqual(['autoscaling/v2', 'bookstore']);
      expect(metadata.labels).toEqual(expect.objectContaining({ 'app.kubernetes.io/part-of': 'bookstore' }));
      expect(spec.scaleTargetRef).toEqual({ apiVersion: 'apps/v1', kind: 'Deployment', name: d.metadata.name });
      expect(spec.minReplicas).toBe(3);
      expect(spec.maxReplicas).toBeGreaterThan(spec.minReplicas);
      expect(spec.maxReplicas).toBeLessThanOrEqual(20);
      expect(spec.metrics).toEqual([
        {
          type: 'Resource',
          resource: { name: 'cpu', target: { type: 'Utilization', averageUtilization: expect.any(Number) } },
        },
      ]);
    }
  });

  it('scales down slowly and one pod at a time, after a stabilisation window', () => {
    for (const d of deployments) {
      const { scaleDown } = (hpaFor(d) as K8sObject).spec.behavior;
      expect(scaleDown.stabilizationWindowSeconds).toBeGreaterThanOrEqual(300);
      expect(scaleDown.policies).toEqual([{ type: 'Pods', value: 1, periodSeconds: expect.any(Number) }]);
    }
  });

  it('is consistent with requests, limits, the PDBs and the rolling update', () => {
    for (const d of deployments) {
      const hpa = (hpaFor(d) as K8sObject).spec;
      const { requests, limits } = d.spec.template.spec.containers[0].resources;
      // Utilisation is a share of the request: without one the HPA cannot compute it. The target
      // in millicores must sit below the limit, or pods are throttled before the HPA adds more.
      const target = (millicores(requests.cpu) * hpa.metrics[0].resource.target.averageUtilization) / 100;
      expect(target).toBeLessThan(millicores(limits.cpu));
      // At minReplicas, a voluntary disruption or a rolling update still leaves >= 2 pods serving.
      const pdb = objects.find(
        (o) =>
          o.kind === 'PodDisruptionBudget' && matches(o.spec.selector.matchLabels, d.spec.template.metadata.labels),
      ) as K8sObject;
      expect(hpa.minReplicas - pdb.spec.maxUnavailable).toBeGreaterThanOrEqual(2);
      expect(d.spec.strategy.rollingUpdate.maxUnavailable).toBe(0);
    }
  });

  it('leaves spec.replicas to the HPA: no Deployment sets it, so `kubectl apply` never resets a scaled-out count', () => {
    for (const file of ['recommendations.yaml', 'marketplace.yaml']) {
      const deployment = parseAllDocuments(readFileSync(join(K8S, file), 'utf8'))
        .map((doc) => doc.toJS() as K8sObject)
        .find((o) => o?.kind === 'Deployment') as K8sObject;
      expect([file, 'replicas' in deployment.spec]).toEqual([file, false]);
    }
    expect(find(objects, 'HorizontalPodAutoscaler', 'recommendations').spec.minReplicas).toBe(3);
  });
});
