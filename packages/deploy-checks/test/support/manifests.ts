import { execFileSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseAllDocuments } from 'yaml';

export const ROOT = join(__dirname, '..', '..', '..', '..');
export const K8S = join(ROOT, 'k8s');

// Loose shapes: the schema test proves the objects are well formed; policies read fields.

export type K8sObject = {
  apiVersion: string;
  kind: string;
  metadata: { name: string; namespace?: string; labels?: Record<string, string> };
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  [key: string]: any;
};

/** Every object in the YAML files at the top of `folder` (what `kubectl apply -f k8s/` applies). */
export function loadManifests(folder = K8S): K8sObject[] {
  return readdirSync(folder)
    .filter((f) => /\.ya?ml$/.test(f))
    .flatMap((f) => parseAllDocuments(readFileSync(join(folder, f), 'utf8')).map((d) => d.toJS() as K8sObject))
    .filter(Boolean);
}

export interface LoadedObject {
  /** Path relative to the folder that was loaded, e.g. `network-policies.yaml` or `monitoring/rules.yaml`. */
  file: string;
  object: K8sObject;
}

/**
 * Every object in every YAML or JSON file under `folder`, sub-folders included, in the lexical order
 * kubectl applies them. A file that does not parse throws, naming the file: nothing is skipped.
 */
export function loadManifestTree(folder: string): LoadedObject[] {
  return readdirSync(folder, { recursive: true, encoding: 'utf8' })
    .filter((f) => /\.(ya?ml|json)$/.test(f))
    .sort()
    .flatMap((file) =>
      parseAllDocuments(readFileSync(join(folder, file), 'utf8')).map((document) => {
        if (document.errors.length > 0) throw new Error(`${file}: ${document.errors[0]?.message}`);
        return { file, object: document.toJS() as K8sObject };
      }),
    )
    .filter((loaded) => loaded.object !== null);
}

export function find(objects: K8sObject[], kind: string, name: string): K8sObject {
  const found = objects.find((o) => o.kind === kind && o.metadata.name === name);
  if (!found) throw new Error(`no ${kind} ${name} in k8s/`);
  return found;
}

export interface ValidationResult {
  file: string;
  kind: string;
  name: string;
  errors: string[];
}

/** Runs validate-k8s.mjs (ESM-only schema packages run in plain Node, not in jest) on a folder. */
export function validateFolder(folder: string): ValidationResult[] {
  const output = execFileSync(process.execPath, [join(__dirname, '..', '..', 'validate-k8s.mjs'), folder], {
    encoding: 'utf8',
  });
  return JSON.parse(output) as ValidationResult[];
}

export function matches(selector: Record<string, string>, labels: Record<string, string> = {}): boolean {
  return Object.entries(selector).every(([key, value]) => labels[key] === value);
}
