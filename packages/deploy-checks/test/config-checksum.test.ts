import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { copyFileSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { find, K8S, loadManifests, type K8sObject } from './support/manifests';

const UPDATER = join(__dirname, '..', 'update-config-checksums.mjs');
const ANNOTATION = 'checksum/config';
const run = (...args: string[]) => spawnSync(process.execPath, [UPDATER, ...args], { encoding: 'utf8' });

/** Recomputed here, apart from the script: sha256 of each ConfigMap's name and data, keys sorted. */
function expected(objects: K8sObject[], names: string[]): string {
  const hash = createHash('sha256');
  for (const name of names) {
    const { data } = find(objects, 'ConfigMap', name);
    const sorted = Object.fromEntries(
      Object.keys(data)
        .sort()
        .map((key) => [key, data[key]]),
    );
    hash.update(JSON.stringify({ name, data: sorted }));
  }
  return hash.digest('hex');
}
const configMapsOf = (o: K8sObject): string[] =>
  o.spec.template.spec.containers.flatMap((c: { envFrom?: { configMapRef?: { name: string } }[] }) =>
    (c.envFrom ?? []).flatMap((e) => (e.configMapRef ? [e.configMapRef.name] : [])),
  );

/** A copy of the top of k8s/ in a temporary folder, removed after `use`. */
function withCopy(use: (folder: string) => void): void {
  const folder = mkdtempSync(join(tmpdir(), 'k8s-checksum-'));
  try {
    for (const file of readdirSync(K8S).filter((f) => f.endsWith('.yaml')))
      copyFileSync(join(K8S, file), join(folder, file));
    use(folder);
  } finally {
    rmSync(folder, { recursive: true, force: true });
  }
}

describe('a ConfigMap change rolls the pods that read it (issue #25)', () => {
  const objects = loadManifests();
  const readers = objects.filter((o) => o.spec?.template?.spec?.containers && configMapsOf(o).length > 0);

  it('every pod template reading a ConfigMap carries the sha256 of its data, up to date', () => {
    expect(readers.map((o) => o.metadata.name).sort()).toEqual(['marketplace', 'recommendations']);
    for (const o of readers)
      expect([o.metadata.name, o.spec.template.metadata.annotations?.[ANNOTATION]]).toEqual([
        o.metadata.name,
        expected(objects, configMapsOf(o)),
      ]);
    const check = run('--check');
    expect(check.stderr).toBe('');
    expect(check.status).toBe(0);
  });

  it('fails when a setting changes without the annotation, and the script brings it up to date', () => {
    withCopy((folder) => {
      const config = join(folder, 'config.yaml');
      writeFileSync(config, readFileSync(config, 'utf8').replaceAll('LOG_LEVEL: info', 'LOG_LEVEL: debug'));
      const stale = run('--check', folder);
      expect(stale.status).toBe(1);
      expect(stale.stderr).toContain('marketplace.yaml Deployment/marketplace: checksum/config is');
      expect(stale.stderr).toContain('recommendations.yaml Deployment/recommendations: checksum/config is');

      expect(run(folder).status).toBe(0);
      expect(run('--check', folder).status).toBe(0);
      const updated = loadManifests(folder);
      const recommendations = find(updated, 'Deployment', 'recommendations');
      expect(recommendations.spec.template.metadata.annotations[ANNOTATION]).toBe(
        expected(updated, ['recommendations-config']),
      );
      expect(recommendations.spec.template.metadata.annotations[ANNOTATION]).not.toBe(
        find(objects, 'Deployment', 'recommendations').spec.template.metadata.annotations[ANNOTATION],
      );
      // Only the annotation line changed: comments and layout of the file are kept.
      const before = readFileSync(join(K8S, 'recommendations.yaml'), 'utf8').split('\n');
      const after = readFileSync(join(folder, 'recommendations.yaml'), 'utf8').split('\n');
      expect(after.filter((line, i) => line !== before[i])).toEqual([
        expect.stringContaining(`annotations: { ${ANNOTATION}: "`),
      ]);
    });
  });

  it('refuses a pod template that reads a ConfigMap but has no annotation', () => {
    withCopy((folder) => {
      const file = join(folder, 'marketplace.yaml');
      writeFileSync(file, readFileSync(file, 'utf8').replace(/^ *annotations: \{ checksum\/config: .*\n/m, ''));
      const missing = run('--check', folder);
      expect(missing.status).not.toBe(0);
      expect(missing.stderr).toContain('marketplace.yaml Deployment/marketplace: reads marketplace-config but has no');
    });
  });
});
