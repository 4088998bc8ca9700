import type { FastifyInstance } from 'fastify';
import type { MarketplaceMetrics } from './marketplace-metrics';
import { serviceTimeMs } from './service-time';

/**
 * Observes every response in `http_request_duration_seconds`. The route label is the route's
 * template (`/books`), never the raw URL, and `unmatched` for 404s, so label cardinality stays
 * bounded whatever paths clients send (the method too: Node's parser accepts only the methods it
 * knows). Each label set's child is resolved once: a label lookup per request was a measured
 * cost. The duration leaves out the time a pipelined request waited for the responses before it
 * on its connection (service-time.ts): the client chose that.
 */
export function registerHttpMetrics(app: FastifyInstance, metrics: MarketplaceMetrics): void {
  const children = new Map<string, { observe(seconds: number): void }>();
  app.addHook('onResponse', (request, reply, done) => {
    const route = request.routeOptions.url ?? 'unmatched';
    const key = `${request.method} ${reply.statusCode} ${route}`;
    let child = children.get(key);
    if (child === undefined) {
      child = metrics.httpRequestDuration.labels({
        method: request.method,
        route,
        status_code: String(reply.statusCode),
      });
      children.set(key, child);
    }
    child.observe(serviceTimeMs(request, reply) / 1000);
    done();
  });
}
