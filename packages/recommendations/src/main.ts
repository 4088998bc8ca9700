import { ConfigError } from '@bookstore/env-config';
import { loadConfig } from './config';
import { BOOKS } from './domain/books';
import { createCatalog } from './domain/catalog';
import { createRecommender } from './domain/recommender';
import { createLogger } from './logger';
import { createRecommendationServer } from './server';

const SHUTDOWN_GRACE_MS = 10_000;

async function main(): Promise<void> {
  let config;
  try {
    config = loadConfig(process.env);
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    process.stderr.write(`recommendations: ${error.message}\n`);
    process.exit(1);
  }
  const logger = createLogger({ level: config.logLevel });
  const catalog = createCatalog(BOOKS, { minPerCategory: 6 });
  const server = createRecommendationServer({ config, logger, recommender: createRecommender({ catalog }) });
  const port = await server.start();
  logger.info({ port, host: config.host, books: catalog.all().length }, 'recommendations listening');

  let stopping = false;
  const shutdown = (signal: NodeJS.Signals) => {
    if (stopping) {
      logger.warn({ signal }, 'already shutting down');
      return;
    }
    stopping = true;
    logger.info({ signal }, 'shutting down');
    void server.stop(SHUTDOWN_GRACE_MS).then(() => {
      logger.info('stopped');
      logger.flush(() => process.exit(0));
    });
  };
  process.on('SIGTERM', shutdown);
  process.on('SIGINT', shutdown);
}

main().catch((error: unknown) => {
  process.stderr.write(`recommendations: failed to start: ${error instanceof Error ? error.stack : String(error)}\n`);
  process.exit(1);
});
