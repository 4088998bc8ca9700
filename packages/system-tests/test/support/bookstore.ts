import { fetchMetricsText, sampleValue } from '@bookstore/test-support';
import { startService, type ServiceProcess } from './processes';

/** Recommendations replicas as separate processes on loopback, each on its own free port. */
export async function startReplicas(
  count: number,
  env: Record<string, string> = {},
  nodeArgs: readonly string[] = [],
): Promise<ServiceProcess[]> {
  return Promise.all(Array.from({ length: count }, () => startService('recommendations', env, nodeArgs)));
}

/** The marketplace process, pointed at `target` (any gRPC target form). */
export function startMarketplace(
  target: string,
  env: Record<string, string> = {},
  nodeArgs: readonly string[] = [],
): Promise<ServiceProcess> {
  return startService('marketplace', { RECOMMENDATIONS_ADDR: target, ...env }, nodeArgs);
}

/** `ipv4:127.0.0.1:a,127.0.0.1:b,…`: every replica, for round_robin. */
export function ipv4Target(replicas: readonly { port: number }[]): string {
  return `ipv4:${replicas.map((r) => `127.0.0.1:${r.port}`).join(',')}`;
}

/** How many Recommend calls a replica answered OK, from its own /metrics. */
export async function recommendCallsServed(replica: ServiceProcess): Promise<number> {
  const text = await fetchMetricsText(replica.ready.metricsPort as number);
  return sampleValue(text, 'grpc_server_handled_total', { grpc_method: 'Recommend', grpc_code: 'OK' }) ?? 0;
}

export async function stopAll(processes: readonly (ServiceProcess | undefined)[]): Promise<void> {
  await Promise.all(processes.filter((p) => p !== undefined).map((p) => p.stop('SIGKILL')));
}
