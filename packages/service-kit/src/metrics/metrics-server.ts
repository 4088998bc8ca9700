import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Registry } from 'prom-client';
import { capConnections, METRICS_PORT_LIMITS, metricsServerOptions } from './metrics-port-limits';
import { sharedRender } from './shared-render';

export interface MetricsServer {
  start(): Promise<number>;
  stop(): Promise<void>;
}

/** What a probe path answers: an HTTP status and a JSON body. */
export interface ProbeAnswer {
  readonly statusCode: number;
  readonly body: Readonly<Record<string, string>>;
}

/**
 * Prometheus text format at `GET /metrics`, on its own port so it is never exposed with the API.
 * `probes` adds plain `GET` paths (e.g. `/readyz`): answered here they do not share the public
 * port's connection cap, so a flood of clients there cannot fail the kubelet's probes. The port
 * has bounds of its own (metrics-port-limits.ts), and concurrent scrapes share renders.
 */
export function createMetricsServer(options: {
  registry: Registry;
  host: string;
  port: number;
  probes?: Readonly<Record<string, () => ProbeAnswer>>;
}): MetricsServer {
  const probes = new Map(Object.entries(options.probes ?? {}));
  const render = sharedRender(() => options.registry.metrics());
  const server: Server = createServer(metricsServerOptions, (request, response) => {
    const path = request.url?.split('?')[0] ?? '';
    const probe = probes.get(path);
    if (request.method === 'GET' && probe !== undefined) {
      const { statusCode, body } = probe();
      response.writeHead(statusCode, { 'content-type': 'application/json; charset=utf-8' }).end(JSON.stringify(body));
      return;
    }
    if (request.method !== 'GET' || path !== '/metrics') {
      response.writeHead(404, { 'content-type': 'text/plain' }).end('not found\n');
      return;
    }
    render().then(
      (body) => response.writeHead(200, { 'content-type': options.registry.contentType }).end(body),
      () => response.writeHead(500, { 'content-type': 'text/plain' }).end('metrics unavailable\n'),
    );
  });
  capConnections(server, METRICS_PORT_LIMITS.maxConnections);
  return {
    start: () =>
      new Promise((resolve, reject) => {
        server.once('error', reject);
        server.listen(options.port, options.host, () => resolve((server.address() as AddressInfo).port));
      }),
    stop: () =>
      new Promise((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
