import staticFiles from '@fastify/static';
import Fastify, { type FastifyBaseLogger, type FastifyInstance, LogController } from 'fastify';
import { join } from 'node:path';
import type { Logger } from 'pino';
import { registerApiDocs } from './api-docs';
import { createClientErrorAnswers } from './client-errors';
import type { MarketplaceConfig } from './config';
import { registerConnectionGuards, serverOptions } from './connection-guards';
import { registerErrorHandling } from './error-handling';
import { accessLog } from './observability/access-log';
import { registerHttpMetrics } from './observability/http-metrics';
import { type MarketplaceMetrics, pageRecorder } from './observability/marketplace-metrics';
import type { RecommendationsClient } from './recommendations-client';
import { requestIdFrom } from './request-id';
import { apiRoutes } from './routes/api';
import { booksRoutes } from './routes/books';
import { healthRoutes } from './routes/health';
import { homeRoutes } from './routes/home';
import { registerRateLimit, registerSecurityHeaders } from './security';
import { registerViews } from './views';

/** The stylesheet and other assets, beside src/ and dist/. */
/** Longest request target accepted; longer gets 414. */
export const MAX_URL_LENGTH = 2048;

export const PUBLIC_DIR = join(__dirname, '..', 'public');

export interface AppOptions {
  config: MarketplaceConfig;
  logger: Logger;
  recommendations: RecommendationsClient;
  /** Where HTTP request metrics go; none in tests that do not look at them. */
  metrics?: MarketplaceMetrics;
  /** Readiness as seen by `/readyz`; main turns it off when shutdown begins. */
  isReady?: () => boolean;
  /** Draws the access log's sample (Math.random unless a test seeds it). */
  random?: () => number;
}

/** Builds the marketplace as a fastify instance, without listening: tests use `inject`. */
export async function buildApp(options: AppOptions): Promise<FastifyInstance> {
  const { config } = options;
  const clientErrors = createClientErrorAnswers();
  const app = Fastify({
    ...serverOptions(config.http),
    clientErrorHandler: clientErrors.clientErrorHandler,
    frameworkErrors: clientErrors.frameworkErrors,
    // pino's Logger is a FastifyBaseLogger; the cast keeps the instance's default logger type.
    loggerInstance: options.logger as FastifyBaseLogger,
    genReqId: requestIdFrom,
    // A hop count is documented fastify behaviour that its typings leave out.
    trustProxy: config.trustProxy as boolean | string[],
    // Unknown query keys are an error, not something to drop silently.
    ajv: { customOptions: { removeAdditional: false } },
    // At most one access-log line per request (observability/access-log.ts) instead of fastify's two.
    logController: new LogController({ disableRequestLogging: true }),
  });
  const isReady = options.isReady ?? (() => true);
  // Security headers first, so every answer carries them (the guards' 413 and the 414 below too).
  registerSecurityHeaders(app);
  registerConnectionGuards(app, config.http);
  // No page or API takes a URL this long; Node itself answers 431 past 16 KiB of headers.
  app.addHook('onRequest', async (request, reply) => {
    if (request.url.length > MAX_URL_LENGTH) return reply.code(414).type('text/plain').send('URI Too Long');
  });
  app.addHook('onSend', async (request, reply) => {
    reply.header('x-request-id', request.id);
    // While shutting down, answer in-flight requests with `Connection: close` so keep-alive
    // clients let go and the server can finish closing before the grace period ends.
    if (!isReady()) reply.header('connection', 'close');
  });

  await app.register(accessLog, { policy: config.accessLog, random: options.random });
  if (options.metrics) registerHttpMetrics(app, options.metrics);
  await registerRateLimit(app, { max: config.rateLimitMax, windowMs: config.rateLimitWindowMs });
  await app.register(staticFiles, { root: PUBLIC_DIR, prefix: '/static/', maxAge: '1h', index: false });
  await registerViews(app);
  registerErrorHandling(app);
  await registerApiDocs(app);
  await app.register(healthRoutes, { isReady });
  const recordPage = pageRecorder(options.metrics);
  await app.register(homeRoutes, {
    recommendations: options.recommendations,
    secureCookie: config.cookieSecure,
    recordPage,
  });
  await app.register(booksRoutes, { recommendations: options.recommendations, recordPage });
  await app.register(apiRoutes, { recommendations: options.recommendations });
  return app;
}
