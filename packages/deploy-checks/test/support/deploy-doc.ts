import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { PLACEHOLDER_REGISTRY } from './image-references';
import { ROOT, type K8sObject } from './manifests';

export const DEPLOY_DOC = join(ROOT, 'docs', 'deploy.md');
export const readDeployDoc = () => readFileSync(DEPLOY_DOC, 'utf8');

/**
 * The namespaces listed in the doc's table whose header starts `| namespace |`, first column in
 * backticks. Throws when the table is missing or a row names none, so the checks never run on nothing.
 */
export function documentedNamespaces(markdown: string): string[] {
  const lines = markdown.split('\n');
  const header = lines.findIndex((line) => /^\|\s*namespace\s*\|/.test(line));
  if (header < 0) throw new Error('docs/deploy.md has no table starting "| namespace |"');
  const names: string[] = [];
  for (const line of lines.slice(header + 2)) {
    if (!line.startsWith('|')) break;
    const name = /^\|\s*`([a-z0-9-]+)`\s*\|/.exec(line)?.[1];
    if (!name) throw new Error(`namespace table row without a \`name\`: ${line}`);
    names.push(name);
  }
  if (names.length === 0) throw new Error('the namespace table of docs/deploy.md is empty');
  return names;
}

/** Every kubectl command in the doc's fenced code blocks, without its trailing comment. */
export function kubectlCommands(markdown: string): string[] {
  let fenced = false;
  const commands: string[] = [];
  for (const line of markdown.split('\n')) {
    if (line.startsWith('```')) fenced = !fenced;
    else if (fenced && line.trim().startsWith('kubectl ')) commands.push(line.replace(/\s+#.*$/, '').trim());
  }
  return commands;
}

const KINDS: Record<string, string> = {
  deployment: 'Deployment',
  deploy: 'Deployment',
  statefulset: 'StatefulSet',
  sts: 'StatefulSet',
  svc: 'Service',
  service: 'Service',
  configmap: 'ConfigMap',
  cm: 'ConfigMap',
  pdb: 'PodDisruptionBudget',
  networkpolicy: 'NetworkPolicy',
  serviceaccount: 'ServiceAccount',
  sa: 'ServiceAccount',
};

/**
 * `registry:5000/bookstore/marketplace:1.0.0` → `registry:5000/bookstore/marketplace` (tag and
 * digest dropped; the placeholder registry too, which `set image` exists to replace).
 */
const repository = (image: string) =>
  image
    .replace(/@.*$/, '')
    .replace(/:[\w.-]+$/, '')
    .replace(`${PLACEHOLDER_REGISTRY}/`, '');

/**
 * What would go wrong running `commands` against the objects `kubectl apply -f k8s/` creates: a
 * `kind/name` that k8s/ does not define, a namespace flag that is not that object's namespace, and
 * for `kubectl set image`, a container the Deployment does not have or an image of another service.
 */
export function checkKubectlCommands(commands: string[], objects: K8sObject[]): string[] {
  const problems: string[] = [];
  for (const command of commands) {
    const words = command.split(/\s+/);
    const flag = words.findIndex((word) => word === '-n' || word === '--namespace');
    const namespace = flag >= 0 ? words[flag + 1] : words.find((w) => w.startsWith('--namespace='))?.slice(12);
    const named = words.flatMap((word) => {
      const [, alias, name] = /^([a-z]+)\/([a-z0-9.-]+)$/.exec(word) ?? [];
      const kind = alias && KINDS[alias];
      const object = kind && objects.find((o) => o.kind === kind && o.metadata.name === name);
      if (kind && !object) problems.push(`${command}: k8s/ has no ${kind} ${name}`);
      return object ? [object] : [];
    });
    for (const object of named)
      if (namespace !== object.metadata.namespace)
        problems.push(
          `${command}: ${object.kind} ${object.metadata.name} is in namespace ${object.metadata.namespace}, ` +
            `the command uses ${namespace ?? 'the current namespace'}`,
        );
    if (words[1] !== 'set' || words[2] !== 'image') continue;
    const deployment = named.find((o) => o.kind === 'Deployment');
    if (!deployment) {
      problems.push(`${command}: names no Deployment that k8s/ defines`);
      continue;
    }
    const containers: { name: string; image: string }[] = deployment.spec.template.spec.containers;
    const pairs = words.slice(3).flatMap((word) => {
      const [, container, image] = /^([a-z0-9-]+)=(\S+)$/.exec(word) ?? [];
      return container && image ? [{ container, image }] : [];
    });
    if (pairs.length === 0) problems.push(`${command}: sets no container=image`);
    for (const { container, image } of pairs) {
      const shipped = containers.find((c) => c.name === container);
      if (!shipped) problems.push(`${command}: ${deployment.metadata.name} has no container ${container}`);
      else if (!`/${repository(image)}`.endsWith(`/${repository(shipped.image)}`))
        problems.push(`${command}: ${image} is not an image of ${repository(shipped.image)}`);
    }
  }
  return problems;
}
