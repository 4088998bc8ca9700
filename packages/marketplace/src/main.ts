// Keep first: Node's compile cache speeds up every module required after it.
import { persistCompileCache } from '@bookstore/service-kit/compile-cache';
// Keep next: tracing must be set up before http and gRPC are loaded.
import { tracing } from './tracing';
import { createMetricsServer, handleShutdownSignals, loadConfigOrExit } from '@bookstore/service-kit';
import { buildApp } from './app';
import { loadConfig } from './config';
import { createLogger } from './logger';
import { probeAnswers } from './health/probes';
import { flushOnShutdown } from './reader-events/flush-on-shutdown';
import { createReaderEvents } from './reader-events/reader-events';
import { createClientMetricsInterceptor } from './observability/grpc-client-metrics';
import { observedHedging } from './observability/hedging-metrics';
import { createMarketplaceMetrics } from './observability/marketplace-metrics';
import { createCatalogVersionLog } from './recommendations/catalog-versions';
import { createRecommendationsClient } from './recommendations/client';
import { createChannelSecurity } from './recommendations/credentials';
import { awaitRecommendations } from './health/startup-readiness';
import { createTlsStatus } from './recommendations/tls-status';

async function main(): Promise<void> {
  const config = loadConfigOrExit('marketplace', loadConfig);
  const logger = createLogger({ level: config.logLevel });
  const metrics = createMarketplaceMetrics();
  const recommendations = createRecommendationsClient({
    address: config.recommendationsAddr,
    timeoutMs: config.recommendationsTimeoutMs,
    interceptors: [createClientMetricsInterceptor(metrics)],
    hedging: observedHedging(config.recommendationsHedgingDelayMs, metrics.registry),
    onCatalogVersion: createCatalogVersionLog(logger),
    security: createChannelSecurity(
      config.recommendationsTls,
      createTlsStatus({ logger, target: config.recommendationsAddr }),
    ),
  });
  const readerEvents = createReaderEvents({
    capacity: config.readerEventsOutboxSize,
    openStream: () => recommendations.openRecordEvents(),
    logger,
    registry: metrics.registry,
  });
  // Connecting starts now, before the ports open: the first pages find the channels ready.
  const startup = awaitRecommendations({
    waitForReady: (deadline) => recommendations.waitForReady(deadline),
    timeoutMs: config.recommendationsStartupTimeoutMs,
    logger,
  });
  let ready = true;
  const app = await buildApp({
    config,
    logger,
    recommendations,
    readerEvents,
    metrics,
    isReady: () => ready,
    isStarted: startup.isStarted,
  });
  await app.listen({ port: config.port, host: config.host });
  const metricsServer = createMetricsServer({
    registry: metrics.registry,
    host: config.host,
    port: config.metricsPort,
    // The kubelet's probes come here, outside the public port's connection cap (health/probes.ts).
    probes: probeAnswers(() => ready, startup.isStarted),
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
      recommendationsHedgingDelayMs: config.recommendationsHedgingDelayMs,
      recommendationsStartupTimeoutMs: config.recommendationsStartupTimeoutMs,
      recommendationsTls:
        config.recommendationsTls === undefined ? 'off' : config.recommendationsTls.certFile ? 'mutual' : 'on',
      tracing: tracing !== undefined,
    },
    'marketplace listening',
  );
  persistCompileCache();

  handleShutdownSignals({
    logger,
    message: 'shutting down: refusing new connections, finishing requests',
    forceAfterMs: config.shutdownGraceMs,
    stop: async () => {
      const deadline = Date.now() + config.shutdownGraceMs;
      ready = false;
      await app.close();
      await flushOnShutdown({ readerEvents, logger, deadline });
      await metricsServer.stop();
      await tracing?.shutdown();
      recommendations.close();
    },
  });
}

main().catch((error: unknown) => {
  process.stderr.write(`marketplace: failed to start: ${error instanceof Error ? error.stack : String(error)}\n`);
  process.exit(1);
});
