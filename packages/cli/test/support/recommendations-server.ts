import {
  BOOKS,
  createCatalog,
  createLogger,
  createRecommendationServer,
  createEventStore,
  createRecommender,
  loadConfig,
  type Recommender,
} from '@bookstore/recommendations';
import type { BookCategory } from '@bookstore/contracts';

export interface RunningServer {
  /** host:port on loopback. */
  readonly address: string;
  readonly port: number;
  /** Its Prometheus /metrics port. */
  readonly metricsPort: number;
  /** Graceful stop (health turns NOT_SERVING first); safe to call more than once. */
  stop(): Promise<void>;
}

/**
 * The real Recommendations server (catalog, interceptor, health, reflection) on a free loopback
 * port, configured through its own config loader; `env` adds TLS and the like.
 */
export async function startRecommendations(
  options: {
    env?: Record<string, string>;
    recommender?: Recommender;
    /** With the embedded event store: GetBook, RecordEvents and ImportEvents are served. */
    withStore?: boolean;
  } = {},
): Promise<RunningServer> {
  const config = loadConfig({
    HOST: '127.0.0.1',
    PORT: '0',
    METRICS_PORT: '0',
    HEALTH_PORT: '0',
    SHUTDOWN_GRACE_MS: '1000',
    LOG_LEVEL: 'silent',
    ...options.env,
  });
  const catalog = createCatalog(BOOKS, { minPerCategory: 6 });
  const recommender = options.recommender ?? createRecommender({ catalog });
  const logger = createLogger({ level: 'silent' });
  const store = options.withStore === true ? createEventStore({ url: undefined, logger }) : undefined;
  const readerEvents = store === undefined ? undefined : { catalog, store };
  const server = createRecommendationServer({ config, logger, recommender, readerEvents });
  const { port, metricsPort } = await server.start();
  return {
    address: `127.0.0.1:${port}`,
    port,
    metricsPort,
    stop: async () => {
      await server.stop();
      await store?.close();
    },
  };
}

/** The catalog's titles of one category, in id order. */
export function titlesOf(category: BookCategory): string[] {
  return BOOKS.filter((book) => book.category === category).map((book) => book.title);
}
