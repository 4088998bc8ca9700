// Keep first: Node's compile cache speeds up every module required after it.
import { persistCompileCache } from '@bookstore/service-kit/compile-cache';
// Keep next: tracing must be set up before http and gRPC are loaded.
import { tracing } from './tracing';
import { createMetricsServer, handleShutdownSignals, loadConfigOrExit } from '@bookstore/service-kit';
import { loadConfig } from './config';
import { createLogger } from './logger';
import { createMarketplace } from './marketplace';
import { createMarketplaceMetrics } from './observability/marketplace-metrics';

async function main(): Promise<void> {
  const config = loadConfigOrExit('marketplace', loadConfig);
  const logger = createLogger({ level: config.logLevel });
  const metrics = createMarketplaceMetrics();
  const { app, probes, close } = await createMarketplace({ config, logger, metrics });
  await app.listen({ port: config.port, host: config.host });
  const metricsServer = createMetricsServer({
    registry: metrics.registry,
    host: config.host,
    port: config.metricsPort,
    // The kubelet's probes come here, outside the public port's connection cap (health/probes.ts).
    probes,
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
      await close(Date.now() + config.shutdownGraceMs);
      await metricsServer.stop();
      await tracing?.shutdown();
    },
  });
}

main().catch((error: unknown) => {
  process.stderr.write(`marketplace: failed to start: ${error instanceof Error ? error.stack : String(error)}\n`);
  process.exit(1);
});
