import type { FastifyInstance } from 'fastify';
import type { MarketplaceMetrics } from './marketplace-metrics';

/**
 * Observes every response in `http_request_duration_seconds`. The route label is the route's
 * template (`/books`), never the raw URL, and `unmatched` for 404s, so label cardinality stays
 * bounded whatever paths clients send.
 */
export function registerHttpMetrics(app: FastifyInstance, metrics: MarketplaceMetrics): void {
  app.addHook('onResponse', async (request, reply) => {
    metrics.httpRequestDuration.observe(
      { method: request.method, route: request.routeOptions.url ?? 'unmatched', status_code: String(reply.statusCode) },
      reply.elapsedTime / 1000,
    );
  });
}
