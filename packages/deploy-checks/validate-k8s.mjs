import process from 'node:process';
// Validates every Kubernetes object in the YAML files at the top of a folder, offline:
//  1. against the upstream OpenAPI schemas compiled into kubernetes-models (types, required
//     fields, formats, enums);
//     The Prometheus Operator's kinds (PrometheusRule, PodMonitor) against the schemas of its CRDs,
//     from @kubernetes-models/prometheus-operator;
//  2. for unknown fields (kubectl's --validate=strict), walking each object with the field maps
//     that @kubernetes/client-node generates from the same OpenAPI document.
// Usage: node validate-k8s.mjs <folder>   Prints a JSON array: one entry per object, with errors.
import { readdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { parseAllDocuments } from 'yaml';

const require = createRequire(import.meta.url);
const modelsDir = join(require.resolve('@kubernetes/client-node/package.json'), '..', 'dist', 'gen', 'models');
const PRIMITIVES = new Set(['string', 'number', 'boolean', 'Date', 'object', 'any', 'IntOrString', 'RawExtension']);

async function modelClass(name) {
  try {
    return (await import(join(modelsDir, `${name}.js`)))[name];
  } catch {
    return undefined;
  }
}

/** Reports every field the upstream model of `typeName` does not have, recursively. */
async function unknownFields(value, typeName, path, errors) {
  if (value === null || value === undefined) return;
  const array = /^Array<(.+)>$/.exec(typeName);
  if (array) {
    if (Array.isArray(value))
      for (const [i, item] of value.entries()) await unknownFields(item, array[1], `${path}[${i}]`, errors);
    return;
  }
  const map = /^\{ \[key: string\]: (.+); \}$/.exec(typeName);
  if (map) {
    for (const [key, item] of Object.entries(value)) await unknownFields(item, map[1], `${path}.${key}`, errors);
    return;
  }
  if (PRIMITIVES.has(typeName) || typeof value !== 'object') return;
  const model = await modelClass(typeName);
  if (!model) return;
  const fields = new Map(model.getAttributeTypeMap().map((a) => [a.baseName, a.type]));
  for (const [key, item] of Object.entries(value)) {
    if (!fields.has(key)) errors.push(`${path}.${key}: unknown field`);
    else await unknownFields(item, fields.get(key), `${path}.${key}`, errors);
  }
}

/** The Prometheus Operator's CRDs (k8s/monitoring/), compiled from its own CRD schemas. */
const OPERATOR_GROUP = 'monitoring.coreos.com';

function modelPath(apiVersion, kind) {
  const [group, version] = apiVersion.includes('/') ? apiVersion.split('/') : [undefined, apiVersion];
  if (group === OPERATOR_GROUP) return `@kubernetes-models/prometheus-operator/${group}/${version}/${kind}`;
  // cert-manager's CRDs (k8s/mtls/): their published schemas, from @kubernetes-models/cert-manager.
  if (group === 'cert-manager.io') return `@kubernetes-models/cert-manager/${group}/${version}/${kind}`;
  return group ? `kubernetes-models/${group}/${version}/${kind}` : `kubernetes-models/${version}/${kind}`;
}

/** client-node names models V1Deployment, V1NetworkPolicy…: version capitalised + kind. */
function clientModelName(apiVersion, kind) {
  const version = apiVersion.split('/').pop();
  return `${version[0].toUpperCase()}${version.slice(1)}${kind}`;
}

const folder = process.argv[2];
const results = [];
for (const file of readdirSync(folder)
  .filter((f) => /\.ya?ml$/.test(f))
  .sort()) {
  for (const doc of parseAllDocuments(readFileSync(join(folder, file), 'utf8'))) {
    const errors = doc.errors.map((e) => e.message);
    const object = doc.toJS();
    if (object === null) continue;
    const { apiVersion, kind } = object;
    const entry = { file, kind, name: object?.metadata?.name, errors };
    results.push(entry);
    if (typeof apiVersion !== 'string' || typeof kind !== 'string') {
      errors.push('not a Kubernetes object: apiVersion and kind are required');
      continue;
    }
    let Model;
    try {
      Model = (await import(modelPath(apiVersion, kind)))[kind];
    } catch {
      errors.push(`unknown kind ${apiVersion} ${kind}`);
      continue;
    }
    try {
      new Model(object).validate();
    } catch (error) {
      errors.push(`schema: ${error.message}`);
    }
    await unknownFields(object, clientModelName(apiVersion, kind), kind, errors);
  }
}
process.stdout.write(JSON.stringify(results, null, 2));
