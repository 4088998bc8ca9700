import { ConfigError } from '@bookstore/env-config';
import { buildApp } from './app';
import { loadConfig } from './config';
import { createLogger } from './logger';
import { createRecommendationsClient } from './recommendations-client';

async function main(): Promise<void> {
  let config;
  try {
    config = loadConfig(process.env);
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    process.stderr.write(`marketplace: ${error.message}\n`);
    process.exit(1);
  }
  const logger = createLogger({ level: config.logLevel });
  const recommendations = createRecommendationsClient({
    address: config.recommendationsAddr,
    timeoutMs: config.recommendationsTimeoutMs,
  });
  let ready = true;
  const app = await buildApp({ config, logger, recommendations, isReady: () => ready });
  await app.listen({ port: config.port, host: config.host });
  const address = app.server.address();
  const port = typeof address === 'object' && address !== null ? address.port : config.port;
  logger.info({ port, host: config.host, recommendationsAddr: config.recommendationsAddr }, 'marketplace listening');

  let stopping = false;
  const shutdown = (signal: NodeJS.Signals) => {
    if (stopping) return;
    stopping = true;
    ready = false;
    logger.info({ signal }, 'shutting down');
    const force = setTimeout(() => {
      logger.warn('grace period over; exiting with requests still open');
      logger.flush(() => process.exit(0));
    }, config.shutdownGraceMs);
    force.unref();
    void app.close().then(() => {
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
