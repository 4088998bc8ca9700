// Keep first: Node's compile cache speeds up every module required after it.
import { persistCompileCache } from '@bookstore/service-kit/compile-cache';
// Keep next: tracing must be set up before http and gRPC are loaded.
import { tracing } from './tracing';
import { handleShutdownSignals, loadConfigOrExit } from '@bookstore/service-kit';
import { loadConfig } from './config';
import { BOOKS } from './domain/books';
import { loadCatalogFile } from './catalog-file';
import { CatalogValidationError, createCatalog } from './domain/catalog';
import { catalogVersion } from './domain/catalog-version';
import { createRecommender } from './domain/recommender';
import { createLogger } from './logger';
import { createRecommendationServer } from './server';
import { createEventStore } from './store/create-store';
import { DEFAULT_READ_MODEL_LIMITS } from './store/event-store';

async function main(): Promise<void> {
  const config = loadConfigOrExit('recommendations', loadConfig);
  const logger = createLogger({ level: config.logLevel });
  // A bad catalog file is a start-up failure like a bad variable: one message, exit 1, no serving.
  const catalog =
    config.catalogFile === undefined
      ? createCatalog(BOOKS, { minPerCategory: 6 })
      : loadCatalogFile(config.catalogFile);
  // Hashed once: replicas serving different files (a rollout, a mistake) tell callers apart.
  const version = catalogVersion(catalog);
  const store = createEventStore({
    url: config.storeUrl,
    limits: DEFAULT_READ_MODEL_LIMITS,
    logger,
    claimIdleMs: config.storeClaimIdleMs,
  });
  const server = createRecommendationServer({
    config,
    logger,
    recommender: createRecommender({ catalog }),
    readerEvents: { catalog, store },
    catalogVersion: version,
  });
  const ports = await server.start();
  logger.info(
    {
      ...ports,
      host: config.host,
      tls: config.tls !== undefined,
      tracing: tracing !== undefined,
      books: catalog.all().length,
      catalogFile: config.catalogFile,
      catalogVersion: version,
      // Only the scheme: the URL may carry the store's password.
      store: config.storeUrl === undefined ? 'embedded' : config.storeUrl.slice(0, config.storeUrl.indexOf(':')),
    },
    'recommendations listening',
  );
  persistCompileCache();

  handleShutdownSignals({
    logger,
    message: 'shutting down: readiness NOT_SERVING, draining calls',
    // A safety net: stop() cuts every HTTP/2 session after the grace period, but a TLS connection
    // still in its handshake is not a session yet and would keep the server open until Node's
    // 120 s handshake timeout; exit 5 s after the grace period whatever is left.
    forceAfterMs: config.shutdownGraceMs + 5_000,
    stop: async () => {
      await server.stop();
      // After the server: calls still draining may read and append until it has stopped.
      await store.close();
      await tracing?.shutdown();
    },
  });
}

main().catch((error: unknown) => {
  if (error instanceof CatalogValidationError) {
    const more = error.total > error.problems.length ? [`  … and ${error.total - error.problems.length} more`] : [];
    const lines = [`${error.total} problem(s) in the catalog:`, ...error.problems.map((p) => `  ${p}`), ...more];
    process.stderr.write(`recommendations: failed to start: ${lines.join('\n')}\n`);
    process.exit(1);
  }
  process.stderr.write(`recommendations: failed to start: ${error instanceof Error ? error.stack : String(error)}\n`);
  process.exit(1);
});
