// Keeps each pod template's `checksum/config` annotation equal to the sha256 of the ConfigMaps its
// containers read (envFrom), so `kubectl apply -f k8s/` after a ConfigMap change also changes the
// pod template and the Deployment rolls its pods. Pods read a ConfigMap as environment only when they
// start: without this, a changed setting would wait for the next unrelated restart.
// Usage: node packages/deploy-checks/update-config-checksums.mjs [--check] [folder]   (folder: k8s/)
//   --check: write nothing, exit 1 naming each stale annotation (the deploy-checks test does this).
import { createHash } from 'node:crypto';
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import process from 'node:process';
import { parse, parseAllDocuments } from 'yaml';

const ANNOTATION = 'checksum/config';
const root = join(import.meta.dirname, '..', '..');

/** sha256 over the ConfigMaps named, in the order named: each one's name and its data, keys sorted. */
export function configChecksum(configMaps, names) {
  const hash = createHash('sha256');
  for (const name of names) {
    const map = configMaps.find((o) => o.metadata?.name === name);
    if (!map) throw new Error(`no ConfigMap ${name}`);
    const data = { ...map.data, ...map.binaryData };
    const sorted = Object.fromEntries(
      Object.keys(data)
        .sort()
        .map((key) => [key, data[key]]),
    );
    hash.update(JSON.stringify({ name, data: sorted }));
  }
  return hash.digest('hex');
}

/** The ConfigMaps a pod template's containers take their environment from, in order, once each. */
export function configMapsOf(template) {
  const containers = [...(template.spec.initContainers ?? []), ...template.spec.containers];
  const names = containers.flatMap((c) => (c.envFrom ?? []).map((e) => e.configMapRef?.name).filter(Boolean));
  return [...new Set(names)];
}

/** Every stale annotation in `folder`, and the files' text with them brought up to date. */
export function updateChecksums(folder) {
  const files = readdirSync(folder)
    .filter((f) => /\.ya?ml$/.test(f))
    .sort();
  const texts = new Map(files.map((f) => [f, readFileSync(join(folder, f), 'utf8')]));
  const objects = [...texts.values()].flatMap((text) =>
    parseAllDocuments(text)
      .map((d) => d.toJS())
      .filter(Boolean),
  );
  const configMaps = objects.filter((o) => o.kind === 'ConfigMap');
  const stale = [];
  for (const [file, text] of texts) {
    // Documents are split on `---` lines, so each annotation is rewritten in its own object only.
    const documents = text.split(/^(?=---$)/m).map((document) => {
      const object = parse(document.replace(/^---$/m, ''));
      const template = object?.spec?.template;
      const names = template ? configMapsOf(template) : [];
      if (names.length === 0) return document;
      const wanted = configChecksum(configMaps, names);
      const current = template.metadata?.annotations?.[ANNOTATION];
      if (current === wanted) return document;
      const where = `${file} ${object.kind}/${object.metadata.name}`;
      if (current === undefined)
        throw new Error(`${where}: reads ${names.join(', ')} but has no ${ANNOTATION} annotation`);
      stale.push(`${where}: ${ANNOTATION} is ${current}, ${names.join(', ')} hash to ${wanted}`);
      const escaped = String(current).replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
      const line = new RegExp(`${ANNOTATION}:\\s*(["']?)${escaped}\\1`);
      if (!line.test(document)) throw new Error(`${where}: cannot find the ${ANNOTATION} line to rewrite`);
      return document.replace(line, `${ANNOTATION}: "${wanted}"`);
    });
    texts.set(file, documents.join(''));
  }
  return { stale, texts };
}

if (process.argv[1] === import.meta.filename) {
  const args = process.argv.slice(2);
  const folder = args.find((a) => a !== '--check') ?? join(root, 'k8s');
  const { stale, texts } = updateChecksums(folder);
  if (args.includes('--check')) {
    if (stale.length > 0) {
      process.stderr.write(
        `${stale.join('\n')}\nrun node packages/deploy-checks/update-config-checksums.mjs to update them\n`,
      );
      process.exit(1);
    }
  } else {
    for (const [file, text] of texts)
      if (text !== readFileSync(join(folder, file), 'utf8')) writeFileSync(join(folder, file), text);
    for (const line of stale) process.stdout.write(`updated ${line}\n`);
  }
}
