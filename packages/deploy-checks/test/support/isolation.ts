import { loadManifestTree, type LoadedObject } from './manifests';

/** What "the bookstore's own" means: the check below reports anything reaching beyond it. */
export interface IsolationRules {
  /** Labels every bookstore pod carries: every selector must require each of them. */
  labels: Record<string, string>;
  /** The namespaces docs/deploy.md lists: the only ones an object may live in or name. */
  namespaces: string[];
  /** The namespace the bookstore's pods run in: a policy peer pinned to it must require the labels too. */
  home: string;
}

export interface IsolationReport {
  /** `file kind/name path` of every selector looked at, so a test can see the walk reached them. */
  checked: string[];
  /** One line per problem: `file kind/name path: what is wrong`. */
  findings: string[];
  /**
   * Files of documents that are not objects (no apiVersion or kind): patch fragments such as
   * k8s/mtls/patches/, which kubectl never applies alone. Listed, not checked here: mtls.test.ts
   * checks them merged into the Deployments they patch.
   */
  fragments: string[];
}

/** Kinds that live outside any namespace (a namespaced kind without metadata.namespace is a finding). */
const CLUSTER_SCOPED = new Set([
  ...['Namespace', 'Node', 'PersistentVolume', 'StorageClass', 'PriorityClass', 'IngressClass', 'RuntimeClass'],
  ...['ClusterRole', 'ClusterRoleBinding', 'CustomResourceDefinition', 'APIService', 'CSIDriver', 'ClusterIssuer'],
  ...['MutatingWebhookConfiguration', 'ValidatingWebhookConfiguration', 'ValidatingAdmissionPolicy'],
  'ValidatingAdmissionPolicyBinding',
]);
/** Kubernetes sets this label on every namespace from its name: the only way to pin one by name. */
const NAME_LABEL = 'kubernetes.io/metadata.name';
const POD_SELECTORS = new Set(['selector', 'podSelector', 'labelSelector', 'objectSelector']);

type Expression = { key?: string; operator?: string; values?: string[] };
type Json = Record<string, unknown>;
const isObject = (value: unknown): value is Json =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

/** Whether a LabelSelector, or a Service's plain map, matches only objects carrying every one of `labels`. */
export function requiresLabels(selector: unknown, labels: Record<string, string>): boolean {
  if (!isObject(selector)) return false;
  const structured = 'matchLabels' in selector || 'matchExpressions' in selector;
  const plain = (structured ? (selector.matchLabels ?? {}) : selector) as Json;
  const expressions = (structured ? (selector.matchExpressions ?? []) : []) as Expression[];
  return Object.entries(labels).every(
    ([key, value]) =>
      plain[key] === value ||
      expressions.some((e) => e.key === key && e.operator === 'In' && e.values?.length === 1 && e.values[0] === value),
  );
}

/** The namespaces a namespaceSelector pins by name, or undefined when it could match namespaces by anything else. */
export function pinnedNamespaces(selector: unknown): string[] | undefined {
  if (!isObject(selector) || selector.any === true) return undefined;
  if (Array.isArray(selector.matchNames)) return selector.matchNames as string[]; // ServiceMonitor, PodMonitor
  const named = (selector.matchLabels as Json | undefined)?.[NAME_LABEL];
  if (typeof named === 'string') return [named];
  const expressions = (selector.matchExpressions ?? []) as Expression[];
  return expressions.find((e) => e.key === NAME_LABEL && e.operator === 'In')?.values;
}

const pathText = (path: (string | number)[]) =>
  path.map((p, i) => (typeof p === 'number' ? `[${p}]` : i === 0 ? p : `.${p}`)).join('');

/**
 * Checks every object in `folder` and its sub-folders: each lives in a listed namespace, every pod
 * selector (Deployment, Service, PDB, NetworkPolicy, ServiceMonitor, topology spread, webhooks…)
 * requires the bookstore's labels, and every namespace it names or selects is listed.
 */
export function checkIsolation(folder: string, rules: IsolationRules): IsolationReport {
  const loaded = loadManifestTree(folder);
  const report: IsolationReport = { checked: [], findings: [], fragments: [] };
  for (const entry of loaded) {
    if (entry.object.apiVersion === undefined || entry.object.kind === undefined) report.fragments.push(entry.file);
    else checkObject(entry, loaded, rules, report);
  }
  return report;
}

function checkObject(
  { file, object }: LoadedObject,
  all: LoadedObject[],
  rules: IsolationRules,
  report: IsolationReport,
) {
  const where = `${file} ${object.kind}/${object.metadata?.name}`;
  const find = (path: (string | number)[], problem: string) =>
    report.findings.push(`${where} ${pathText(path)}: ${problem}`);
  const listed = (namespace: unknown, path: (string | number)[]) => {
    if (!rules.namespaces.includes(namespace as string))
      find(path, `names namespace "${String(namespace)}", which docs/deploy.md does not list`);
  };
  const requireLabels = (selector: unknown, path: (string | number)[]) => {
    report.checked.push(`${where} ${pathText(path)}`);
    if (!requiresLabels(selector, rules.labels))
      find(path, `would match pods without ${JSON.stringify(rules.labels)}: ${JSON.stringify(selector)}`);
  };

  if (object.kind === 'Namespace') listed(object.metadata?.name, ['metadata', 'name']);
  else if (!CLUSTER_SCOPED.has(object.kind) && object.metadata?.namespace === undefined)
    find(['metadata'], 'no metadata.namespace: it would land in whatever namespace is current');
  if (object.kind === 'Pod' && !requiresLabels(object.metadata?.labels ?? {}, rules.labels))
    find(['metadata', 'labels'], "a pod without the bookstore's labels escapes its policies");
  const target = object.spec?.scaleTargetRef as { kind?: string; name?: string } | undefined;
  if (target && !all.some((o) => o.object.kind === target.kind && o.object.metadata?.name === target.name))
    find(['spec', 'scaleTargetRef'], `scales ${target.kind}/${target.name}, which is not in this folder`);

  const walk = (value: unknown, path: (string | number)[]): void => {
    if (Array.isArray(value)) return value.forEach((item, i) => walk(item, [...path, i]));
    if (!isObject(value)) return;
    const peer = ['from', 'to'].includes(String(path.at(-2)));
    if (isObject(value.spec) && Array.isArray(value.spec.containers) && path.at(-1) === 'template')
      if (!requiresLabels((value.metadata as Json | undefined)?.labels ?? {}, rules.labels))
        find(
          [...path, 'metadata', 'labels'],
          "a pod template without the bookstore's labels: its pods escape the policies",
        );
    for (const [key, child] of Object.entries(value)) {
      const at = [...path, key];
      // An HPA's metric selectors pick metric series, not pods.
      if (key === 'metric') continue;
      if (key === 'namespace' && typeof child === 'string') listed(child, at);
      else if (key === 'namespaces' && Array.isArray(child)) child.forEach((n, i) => listed(n, [...at, i]));
      else if (key === 'namespaceSelector') {
        report.checked.push(`${where} ${pathText(at)}`);
        const pinned = pinnedNamespaces(child);
        if (!pinned) find(at, `could match any namespace (pin it by ${NAME_LABEL} or matchNames)`);
        else pinned.forEach((n, i) => listed(n, [...at, i]));
        // A peer in another, listed namespace selects that namespace's pods (kube-dns, Prometheus);
        // one that could reach the bookstore's own namespace must still require its labels.
        if (peer && (!pinned || pinned.includes(rules.home)))
          requireLabels(value.podSelector, [...path, 'podSelector']);
      } else if (POD_SELECTORS.has(key) && !(peer && key === 'podSelector' && 'namespaceSelector' in value))
        requireLabels(child, at);
      else walk(child, at);
    }
  };
  walk(object, []);
}
