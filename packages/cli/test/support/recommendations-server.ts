import {
  BOOKS,
  createCatalog,
  createLogger,
  createRecommendationServer,
  createRecommender,
  loadConfig,
  type Recommender,
} from '@bookstore/recommendations';
import type { BookCategory } from '@bookstore/contracts';

export interface RunningServer {
  /** host:port on loopback. */
  readonly address: string;
  readonly port: number;
  /** Graceful stop (health turns NOT_SERVING first); safe to call more than once. */
  stop(): Promise<void>;
}

/**
 * The real Recommendations server (catalog, interceptor, health, reflection) on a free loopback
 * port, configured through its own config loader; `env` adds TLS and the like.
 */
export async function startRecommendations(
  options: { env?: Record<string, string>; recommender?: Recommender } = {},
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
  const recommender =
    options.recommender ?? createRecommender({ catalog: createCatalog(BOOKS, { minPerCategory: 6 }) });
  const server = createRecommendationServer({ config, logger: createLogger({ level: 'silent' }), recommender });
  const { port } = await server.start();
  return { address: `127.0.0.1:${port}`, port, stop: () => server.stop() };
}

/** The catalog's titles of one category, in id order. */
export function titlesOf(category: BookCategory): string[] {
  return BOOKS.filter((book) => book.category === category).map((book) => book.title);
}
