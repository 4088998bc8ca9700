import { copyFileSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { K8S, loadManifests, validateFolder } from './support/manifests';

describe('k8s/ against the upstream Kubernetes schemas', () => {
  it('holds only valid Kubernetes objects with no unknown fields', () => {
    const results = validateFolder(K8S);
    expect(results.length).toBe(loadManifests().length);
    expect(results.filter((r) => r.errors.length > 0)).toEqual([]);
  });

  it('catches what kubectl --validate=strict would reject (so the check above can fail)', () => {
    const scratch = mkdtempSync(join(tmpdir(), 'k8s-'));
    try {
      copyFileSync(join(K8S, 'recommendations.yaml'), join(scratch, 'recommendations.yaml'));
      const broken = readFileSync(join(scratch, 'recommendations.yaml'), 'utf8')
        .replace('imagePullPolicy: IfNotPresent', 'imagePullPolicyy: IfNotPresent')
        .replace('revisionHistoryLimit: 5', 'revisionHistoryLimit: five')
        .replace('maxUnavailable: 1\n', 'maxUnavailable: 1\n  minReadySecond: 2\n');
      writeFileSync(join(scratch, 'recommendations.yaml'), broken);
      writeFileSync(join(scratch, 'extra.yaml'), 'apiVersion: v1\nkind: Sevice\nmetadata: { name: x }\n');
      const errors = validateFolder(scratch).flatMap((r) => r.errors);
      expect(errors).toEqual(
        expect.arrayContaining([
          expect.stringContaining('unknown kind v1 Sevice'),
          expect.stringMatching(/imagePullPolicyy: unknown field/),
          expect.stringMatching(/schema: .*revisionHistoryLimit/),
          expect.stringMatching(/minReadySecond: unknown field/),
        ]),
      );
    } finally {
      rmSync(scratch, { recursive: true, force: true });
    }
  });
});
