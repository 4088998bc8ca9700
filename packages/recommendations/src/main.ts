// Keep first: tracing must be set up before http and gRPC are loaded.
import { tracing } from './tracing';
import { handleShutdownSignals, loadConfigOrExit } from '@bookstore/service-kit';
import { loadConfig } from './config';
import { BOOKS } from './domain/books';
import { createCatalog } from './domain/catalog';
import { createRecommender } from './domain/recommender';
import { createLogger } from './logger';
import { createRecommendationServer } from './server';

async function main(): Promise<void> {
  const config = loadConfigOrExit('recommendations', loadConfig);
  const logger = createLogger({ level: config.logLevel });
  const catalog = createCatalog(BOOKS, { minPerCategory: 6 });
  const server = createRecommendationServer({ config, logger, recommender: createRecommender({ catalog }) });
  const ports = await server.start();
  logger.info(
    {
      ...ports,
      host: config.host,
      tls: config.tls !== undefined,
      tracing: tracing !== undefined,
      books: catalog.all().length,
    },
    'recommendations listening',
  );

  handleShutdownSignals({
    logger,
    message: 'shutting down: readiness NOT_SERVING, draining calls',
    stop: async () => {
      await server.stop();
      await tracing?.shutdown();
    },
  });
}

main().catch((error: unknown) => {
  process.stderr.write(`recommendations: failed to start: ${error instanceof Error ? error.stack : String(error)}\n`);
  process.exit(1);
});
