import type { K8sObject } from './manifests';

/**
 * Which connections NetworkPolicies allow, the way Kubernetes' networking.k8s.io/v1 defines it: a
 * pod selected by no policy of a direction is open in that direction; a selected one admits only
 * what some rule of some selecting policy allows; a connection needs the source's egress and the
 * destination's ingress. Pods are modelled by namespace, labels and named ports, addresses outside
 * the pod network by IP (matched by ipBlock only).
 */
export type Endpoint =
  { pod: string; namespace: string; labels: Record<string, string>; ports?: Record<string, number> } | { ip: string };

export interface Connection {
  from: Endpoint;
  to: Endpoint;
  port: number;
  protocol?: 'TCP' | 'UDP' | 'SCTP';
}

type Expression = { key: string; operator: 'In' | 'NotIn' | 'Exists' | 'DoesNotExist'; values?: string[] };
type Selector = { matchLabels?: Record<string, string>; matchExpressions?: Expression[] };
type Peer = { podSelector?: Selector; namespaceSelector?: Selector; ipBlock?: { cidr: string; except?: string[] } };
type PolicyPort = { protocol?: string; port?: number | string; endPort?: number };
type Rule = { from?: Peer[]; to?: Peer[]; ports?: PolicyPort[] };

/** Label selector semantics: every matchLabels pair and every expression; `{}` selects everything. */
export function selects(selector: Selector, labels: Record<string, string>): boolean {
  const pairs = Object.entries(selector.matchLabels ?? {}).every(([key, value]) => labels[key] === value);
  return (
    pairs &&
    (selector.matchExpressions ?? []).every((e) => {
      const has = e.key in labels;
      if (e.operator === 'Exists') return has;
      if (e.operator === 'DoesNotExist') return !has;
      const listed = has && (e.values ?? []).includes(labels[e.key] as string);
      return e.operator === 'In' ? listed : !listed;
    })
  );
}

const ipv4 = (ip: string) => ip.split('.').reduce((n, part) => n * 256 + Number(part), 0);
/** Whether IPv4 `ip` lies in `cidr`. */
export function inCidr(ip: string, cidr: string): boolean {
  const [base = '', bits = '32'] = cidr.split('/');
  const size = 2 ** (32 - Number(bits));
  return Math.floor(ipv4(ip) / size) === Math.floor(ipv4(base) / size);
}

function peerMatches(
  peer: Peer,
  endpoint: Endpoint,
  policyNamespace: string,
  namespaces: Record<string, Record<string, string>>,
): boolean {
  if ('ip' in endpoint)
    return (
      peer.ipBlock !== undefined &&
      inCidr(endpoint.ip, peer.ipBlock.cidr) &&
      !(peer.ipBlock.except ?? []).some((c) => inCidr(endpoint.ip, c))
    );
  if (peer.ipBlock) return false;
  const namespaceOk = peer.namespaceSelector
    ? selects(peer.namespaceSelector, namespaces[endpoint.namespace] ?? {})
    : endpoint.namespace === policyNamespace;
  return namespaceOk && selects(peer.podSelector ?? {}, endpoint.labels);
}

function portMatches(rulePort: PolicyPort, connection: Connection): boolean {
  if ((rulePort.protocol ?? 'TCP') !== (connection.protocol ?? 'TCP')) return false;
  if (rulePort.port === undefined) return true;
  const named = typeof rulePort.port === 'string' && 'pod' in connection.to ? connection.to.ports?.[rulePort.port] : 0;
  const port = typeof rulePort.port === 'number' ? rulePort.port : named;
  if (!port) return false;
  return rulePort.endPort ? connection.port >= port && connection.port <= rulePort.endPort : connection.port === port;
}

function directionAllows(
  policies: K8sObject[],
  direction: 'Ingress' | 'Egress',
  connection: Connection,
  namespaces: Record<string, Record<string, string>>,
): boolean {
  const self = direction === 'Ingress' ? connection.to : connection.from;
  const other = direction === 'Ingress' ? connection.from : connection.to;
  if ('ip' in self) return true; // outside the pod network: no NetworkPolicy applies
  const field = direction === 'Ingress' ? 'ingress' : 'egress';
  const selecting = policies.filter((p) => {
    const types: string[] = p.spec.policyTypes ?? (p.spec.egress ? ['Ingress', 'Egress'] : ['Ingress']);
    return (
      p.metadata.namespace === self.namespace && types.includes(direction) && selects(p.spec.podSelector, self.labels)
    );
  });
  if (selecting.length === 0) return true;
  return selecting.some((p) =>
    ((p.spec[field] ?? []) as Rule[]).some((rule) => {
      const peers = (direction === 'Ingress' ? rule.from : rule.to) ?? [];
      const peerOk = peers.length === 0 || peers.some((peer) => peerMatches(peer, other, self.namespace, namespaces));
      const ports = rule.ports ?? [];
      return peerOk && (ports.length === 0 || ports.some((port) => portMatches(port, connection)));
    }),
  );
}

/**
 * Whether `policies` let `connection` through. `namespaces` gives each namespace's labels (with
 * kubernetes.io/metadata.name, which Kubernetes sets from the name).
 */
export function allows(
  policies: K8sObject[],
  connection: Connection,
  namespaces: Record<string, Record<string, string>>,
): boolean {
  return (
    directionAllows(policies, 'Egress', connection, namespaces) &&
    directionAllows(policies, 'Ingress', connection, namespaces)
  );
}

/** One Endpoint per pod template in `objects` (Deployments, StatefulSets…), named by its workload. */
export function podsOf(objects: K8sObject[]): Record<string, Endpoint> {
  return Object.fromEntries(
    objects
      .filter((o) => o.spec?.template?.spec?.containers)
      .map((o) => {
        const ports = (o.spec.template.spec.containers as { ports?: { name?: string; containerPort: number }[] }[])
          .flatMap((c) => c.ports ?? [])
          .filter((p) => p.name !== undefined)
          .map((p) => [p.name, p.containerPort]);
        const endpoint: Endpoint = {
          pod: o.metadata.name,
          namespace: o.metadata.namespace as string,
          labels: o.spec.template.metadata.labels,
          ports: Object.fromEntries(ports),
        };
        return [o.metadata.name, endpoint];
      }),
  );
}
