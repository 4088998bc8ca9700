import staticFiles from '@fastify/static';
import Fastify, { type FastifyBaseLogger, type FastifyInstance, LogController } from 'fastify';
import { join } from 'node:path';
import type { Logger } from 'pino';
import { type ApiDocsRegistration, registerApiDocs } from './api/docs';
import { createMalformedRequestAnswers } from './http/malformed-requests';
import type { MarketplaceConfig } from './config';
import { registerConnectionGuards, serverOptions } from './http/connection-guards';
import { draining } from './http/draining';
import { lazyCompilers } from './http/lazy-compilers';
import { registerErrorHandling } from './http/error-handling';
import { accessLog } from './observability/access-log';
import { registerHttpMetrics } from './observability/http-metrics';
import { type MarketplaceMetrics, pageRecorder } from './observability/marketplace-metrics';
import type { ReaderEvents } from './reader-events/reader-events';
import type { RecommendationsClient } from './recommendations/client';
import { requestIdFrom, requestIdHeader } from './http/request-id';
import { apiRoutes } from './routes/api';
import { bookApiRoutes } from './routes/book-api';
import { bookPageRoutes } from './routes/book-page';
import { booksRoutes } from './routes/books';
import { healthRoutes } from './health/routes';
import { homeRoutes } from './routes/home';
import { registerRateLimit } from './http/rate-limit';
import { registerSecurityHeaders } from './http/security-headers';
import { urlLengthGuard } from './http/url-length-guard';
import { registerViews } from './pages/views';

/** The stylesheet and other assets, beside src/ and dist/. */
export const PUBLIC_DIR = join(__dirname, '..', 'public');

export interface AppOptions {
  config: MarketplaceConfig;
  logger: Logger;
  recommendations: RecommendationsClient;
  /** Where book page views go (reader-events/); never waited for. */
  readerEvents: Pick<ReaderEvents, 'viewed'>;
  /** Where HTTP request metrics go; none in tests that do not look at them. */
  metrics?: MarketplaceMetrics;
  /** Readiness as seen by `/readyz`; main turns it off when shutdown begins. */
  isReady?: () => boolean;
  /** Start-up is over (health/startup-readiness.ts): `/readyz` answers 503 "starting" until then. */
  isStarted?: () => boolean;
  /** Draws the access log's sample (Math.random unless a test seeds it). */
  random?: () => number;
  /** How `/docs` and `/openapi.json` are registered: `registerApiDocs` unless a test compares another. */
  apiDocs?: ApiDocsRegistration;
}

/** Builds the marketplace as a fastify instance, without listening: tests use `inject`. */
export async function buildApp(options: AppOptions): Promise<FastifyInstance> {
  const { config } = options;
  const malformedRequests = createMalformedRequestAnswers();
  // pino's Logger is a FastifyBaseLogger; typed so, the instance keeps its default logger type.
  const loggerInstance: FastifyBaseLogger = options.logger;
  const compilers = lazyCompilers();
  const app = Fastify({
    ...serverOptions(config.http),
    clientErrorHandler: malformedRequests.clientErrorHandler,
    frameworkErrors: malformedRequests.frameworkErrors,
    loggerInstance,
    genReqId: requestIdFrom,
    // A hop count is documented fastify behaviour that its typings leave out.
    trustProxy: config.trustProxy as boolean | string[],
    // Unknown query keys are an error, not something to drop silently.
    ajv: { customOptions: { removeAdditional: false } },
    // Ajv and fast-json-stringify load and compile the route schemas after start-up (issue 27).
    schemaController: compilers.schemaController,
    // At most one access-log line per request (observability/access-log.ts) instead of fastify's two.
    logController: new LogController({ disableRequestLogging: true }),
  });
  const isReady = options.isReady ?? (() => true);
  // Once listening, the schemas still uncompiled are compiled a second later, off the start's path.
  app.addHook('onListen', (done) => {
    setTimeout(compilers.compileAll, 1000).unref();
    done();
  });
  // Security headers first, so every answer carries them (the guards' 413 and the 414 below too).
  registerSecurityHeaders(app);
  registerConnectionGuards(app, config.http, { cut: options.metrics?.connectionsCut, log: options.logger });
  await app.register(urlLengthGuard);
  await app.register(requestIdHeader);
  await app.register(draining, { isReady });

  await app.register(accessLog, {
    policy: config.accessLog,
    clientErrorsPerSecond: config.accessLogClientErrorsPerSecond,
    suppressed: options.metrics?.accessLogSuppressed,
    random: options.random,
  });
  if (options.metrics) registerHttpMetrics(app, options.metrics);
  await registerRateLimit(app, { limits: config.rateLimit, limited: options.metrics?.rateLimited });
  await app.register(staticFiles, { root: PUBLIC_DIR, prefix: '/static/', maxAge: '1h', index: false });
  await registerViews(app);
  registerErrorHandling(app);
  // The JSON API's routes: the app's, and the docs instance's to build the OpenAPI document from.
  const registerApi = async (instance: FastifyInstance) => {
    await instance.register(apiRoutes, { recommendations: options.recommendations });
    await instance.register(bookApiRoutes, { recommendations: options.recommendations });
  };
  await (options.apiDocs ?? registerApiDocs)(app, registerApi);
  await app.register(healthRoutes, { isReady, isStarted: options.isStarted });
  const recordPage = pageRecorder(options.metrics);
  await app.register(homeRoutes, {
    recommendations: options.recommendations,
    secureCookie: config.cookieSecure,
    recordPage,
  });
  await app.register(booksRoutes, { recommendations: options.recommendations, recordPage });
  await app.register(bookPageRoutes, {
    recommendations: options.recommendations,
    readerEvents: options.readerEvents,
    secureCookie: config.cookieSecure,
    recordPage,
  });
  await registerApi(app);
  return app;
}
