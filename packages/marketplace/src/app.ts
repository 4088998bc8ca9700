import Fastify, { type FastifyBaseLogger, type FastifyInstance } from 'fastify';
import type { Logger } from 'pino';
import type { MarketplaceConfig } from './config';
import { registerErrorHandling } from './error-handling';
import { registerHttpMetrics } from './observability/http-metrics';
import type { MarketplaceMetrics } from './observability/marketplace-metrics';
import type { RecommendationsClient } from './recommendations-client';
import { requestIdFrom } from './request-id';
import { booksRoutes } from './routes/books';
import { healthRoutes } from './routes/health';
import { homeRoutes } from './routes/home';
import { registerViews } from './views';

export interface AppOptions {
  config: Pick<MarketplaceConfig, 'logLevel'>;
  logger: Logger;
  recommendations: RecommendationsClient;
  /** Where HTTP request metrics go; none in tests that do not look at them. */
  metrics?: MarketplaceMetrics;
  /** Readiness as seen by `/readyz`; main turns it off when shutdown begins. */
  isReady?: () => boolean;
}

/** Builds the marketplace as a fastify instance, without listening: tests use `inject`. */
export async function buildApp(options: AppOptions): Promise<FastifyInstance> {
  const app = Fastify({
    // pino's Logger is a FastifyBaseLogger; the cast keeps the instance's default logger type.
    loggerInstance: options.logger as FastifyBaseLogger,
    genReqId: requestIdFrom,
    // Unknown query keys are an error, not something to drop silently.
    ajv: { customOptions: { removeAdditional: false } },
  });
  const isReady = options.isReady ?? (() => true);
  app.addHook('onSend', async (request, reply) => {
    reply.header('x-request-id', request.id);
    // While shutting down, answer in-flight requests with `Connection: close` so keep-alive
    // clients let go and the server can finish closing before the grace period ends.
    if (!isReady()) reply.header('connection', 'close');
  });

  if (options.metrics) registerHttpMetrics(app, options.metrics);
  await registerViews(app);
  registerErrorHandling(app);
  await app.register(healthRoutes, { isReady });
  await app.register(homeRoutes, { recommendations: options.recommendations });
  await app.register(booksRoutes, { recommendations: options.recommendations });
  return app;
}
