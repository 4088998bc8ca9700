// Keep first: tracing must be set up before http and gRPC are loaded.
import { tracing } from './tracing';
import { createMetricsServer } from '@bookstore/metrics';
import { loadConfigOrExit } from '@bookstore/env-config';
import { buildApp } from './app';
import { loadConfig } from './config';
import { createLogger } from './logger';
import { createClientMetricsInterceptor } from './observability/grpc-client-metrics';
import { createMarketplaceMetrics } from './observability/marketplace-metrics';
import { createRecommendationsClient } from './recommendations-client';

async function main(): Promise<void> {
  const config = loadConfigOrExit('marketplace', loadConfig);
  const logger = createLogger({ level: config.logLevel });
  const metrics = createMarketplaceMetrics();
  const recommendations = createRecommendationsClient({
    address: config.recommendationsAddr,
    timeoutMs: config.recommendationsTimeoutMs,
    interceptors: [createClientMetricsInterceptor(metrics)],
  });
  let ready = true;
  const app = await buildApp({ config, logger, recommendations, metrics, isReady: () => ready });
  await app.listen({ port: config.port, host: config.host });
  const metricsServer = createMetricsServer({
    registry: metrics.registry,
    host: config.host,
    port: config.metricsPort,
  });
  const metricsPort = await metricsServer.start();
  const address = app.server.address();
  const port = typeof address === 'object' && address !== null ? address.port : config.port;
  logger.info(
    {
      port,
      metricsPort,
      host: config.host,
      recommendationsAddr: config.recommendationsAddr,
      tracing: tracing !== undefined,
    },
    'marketplace listening',
  );

  let stopping = false;
  const shutdown = (signal: NodeJS.Signals) => {
    if (stopping) {
      logger.warn({ signal }, 'already shutting down');
      return;
    }
    stopping = true;
    ready = false;
    logger.info(
      { signal, graceMs: config.shutdownGraceMs },
      'shutting down: refusing new connections, finishing requests',
    );
    const force = setTimeout(() => {
      logger.warn('grace period over; exiting with requests still open');
      logger.flush(() => process.exit(0));
    }, config.shutdownGraceMs);
    force.unref();
    void app
      .close()
      .then(() => metricsServer.stop())
      .then(() => tracing?.shutdown())
      .then(() => {
        recommendations.close();
        logger.info('stopped');
        logger.flush(() => process.exit(0));
      });
  };
  process.on('SIGTERM', shutdown);
  process.on('SIGINT', shutdown);
}

main().catch((error: unknown) => {
  process.stderr.write(`marketplace: failed to start: ${error instanceof Error ? error.stack : String(error)}\n`);
  process.exit(1);
});
