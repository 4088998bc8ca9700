import type { FastifyInstance } from 'fastify';
import type { MarketplaceMetrics } from './marketplace-metrics';
import { serviceTimeMs } from './service-time';

/**
 * Observes every response in `http_request_duration_seconds`. The route label is the route's
 * template (`/books`), never the raw URL, and `unmatched` for 404s, so label cardinality stays
 * bounded whatever paths clients send. The duration leaves out the time a pipelined request
 * waited for the responses before it on its connection (service-time.ts): the client chose that.
 */
export function registerHttpMetrics(app: FastifyInstance, metrics: MarketplaceMetrics): void {
  app.addHook('onResponse', async (request, reply) => {
    metrics.httpRequestDuration.observe(
      { method: request.method, route: request.routeOptions.url ?? 'unmatched', status_code: String(reply.statusCode) },
      serviceTimeMs(request, reply) / 1000,
    );
  });
}
