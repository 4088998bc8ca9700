import type { Logger } from 'pino';
import type { RecommendationsConfig } from './config';
import { createBookPages } from './domain/book-pages';
import type { Catalog } from './domain/catalog';
import { createEventImport } from './domain/event-importer';
import { createEventRecorder } from './domain/event-recorder';
import type { ImportServices } from './grpc/import-handler';
import { createImportTokenCheck } from './import/import-token';
import { createPersonalisedRecommender } from './domain/personalised-recommender';
import type { Recommender } from './domain/recommender';
import type { ReaderEventServices } from './grpc/reader-event-handlers';
import type { ServerMetrics } from './observability/server-metrics';
import { createStoreFailureReporter } from './observability/store-failures';
import type { EventStore } from './store/event-store';

/**
 * The domain over the event store, wired to the metrics and the log: the personalised
 * Recommend, GetBook and RecordEvents. Without a store and catalog, the catalog's recommender
 * alone (random picks) and no reader-event services.
 */
export function wireReaderEvents(options: {
  config: RecommendationsConfig;
  logger: Logger;
  recommender: Recommender;
  readerEvents?: { catalog: Catalog; store: EventStore };
  metrics: ServerMetrics;
  /** Aborted at shutdown (RecordEvents streams end between batches). */
  draining: AbortSignal;
}): {
  recommender: Recommender;
  readerEvents: ReaderEventServices | undefined;
  imports: ImportServices | undefined;
} {
  const { config, metrics } = options;
  if (options.readerEvents === undefined) {
    return { recommender: options.recommender, readerEvents: undefined, imports: undefined };
  }
  const { catalog, store } = options.readerEvents;
  const failures = createStoreFailureReporter({ logger: options.logger, metrics });
  const readTimeoutMs = config.storeReadTimeoutMs;
  return {
    recommender: createPersonalisedRecommender({
      recommender: options.recommender,
      catalog,
      store,
      readTimeoutMs,
      onDegraded: failures.forOperation('recommend', { degraded: true }),
    }),
    readerEvents: {
      bookPages: createBookPages({
        catalog,
        store,
        readTimeoutMs,
        onDegraded: failures.forOperation('get_book', { degraded: true }),
      }),
      recorder: createEventRecorder({
        catalog,
        store,
        onRecorded: (counts) => metrics.countEvents(counts),
        onStoreFailure: failures.forOperation('record_events', { degraded: false }),
      }),
      maxRecordEventsStreams: config.maxRecordEventsStreams,
      draining: options.draining,
    },
    imports: {
      tokens: createImportTokenCheck({ file: config.importTokenFile }),
      startImport: () =>
        createEventImport({
          catalog,
          store,
          onImported: (counts) => metrics.countEvents(counts),
          onStoreFailure: failures.forOperation('import_events', { degraded: false }),
        }),
      maxOpen: config.maxImportStreams,
    },
  };
}
