import { fetchMetricsText } from '@bookstore/test-support';
import { RecommendationServiceClient } from '@bookstore/contracts';
import { type ChannelCredentials, credentials } from '@grpc/grpc-js';
import pino from 'pino';
import { loadConfig } from '../../src/config';
import { BOOKS } from '../../src/domain/books';
import { type Catalog, createCatalog } from '../../src/domain/catalog';
import { catalogVersion } from '../../src/domain/catalog-version';
import { createRecommender, type Recommender } from '../../src/domain/recommender';
import { REDACTED_METADATA } from '../../src/logger';
import { createRecommendationServer, type BoundPorts } from '../../src/server';
import type { EventStore } from '../../src/store/event-store';

/** A log line as the service writes it. */
export type LogLine = Record<string, unknown> & { msg: string; level: number };

export interface TestServer {
  readonly address: string;
  readonly ports: BoundPorts;
  readonly client: RecommendationServiceClient;
  /** Every line the server logged, parsed. */
  readonly logs: LogLine[];
  /**
   * The first logged line matching `matches`, as soon as it is written (at once if it already
   * is); rejects after `timeoutMs` (default 5 s).
   */
  waitForLog(matches: (line: LogLine) => boolean, timeoutMs?: number): Promise<LogLine>;
  /** The Prometheus text the metrics port serves now. */
  metrics(): Promise<string>;
  /** Graceful stop, as on SIGTERM. */
  stop(): Promise<void>;
  close(): Promise<void>;
}

export interface TestServerOptions {
  recommender?: Recommender;
  /** With a store: personalised Recommend, GetBook and RecordEvents (over `catalog`). */
  store?: EventStore;
  /** The catalog the store's events are checked against; the embedded 18 books by default. */
  catalog?: Catalog;
  /** Environment overrides, read by the real config loader. */
  env?: Record<string, string>;
  clientCredentials?: ChannelCredentials;
  /** The access log's random source (its sample). */
  random?: () => number;
}

/**
 * A real server on free loopback ports with the real observability, configured through the
 * real config loader (`env` overrides), and a generated client.
 */
export async function startTestServer(options: TestServerOptions = {}): Promise<TestServer> {
  const logs: LogLine[] = [];
  const waiters = new Set<() => void>();
  const config = loadConfig({
    PORT: '0',
    METRICS_PORT: '0',
    HEALTH_PORT: '0',
    HOST: '127.0.0.1',
    SHUTDOWN_GRACE_MS: '2000',
    // Every call logged, as `make run` does; the access-log tests set their own rate.
    ACCESS_LOG_SAMPLE_RATE: '1',
    ...options.env,
  });
  const logger = pino(
    { level: config.logLevel, redact: REDACTED_METADATA.map((key) => `metadata["${key}"]`) },
    {
      write: (line: string) => {
        logs.push(JSON.parse(line) as LogLine);
        for (const waiter of waiters) waiter();
      },
    },
  );
  const catalog = options.catalog ?? createCatalog(BOOKS, { minPerCategory: 6 });
  const recommender = options.recommender ?? createRecommender({ catalog });
  const readerEvents = options.store === undefined ? undefined : { catalog, store: options.store };
  const server = createRecommendationServer({
    config,
    logger,
    recommender,
    readerEvents,
    random: options.random,
    catalogVersion: catalogVersion(catalog),
  });
  const ports = await server.start();
  const address = `127.0.0.1:${ports.port}`;
  const client = new RecommendationServiceClient(address, options.clientCredentials ?? credentials.createInsecure());
  return {
    address,
    ports,
    client,
    logs,
    waitForLog: (matches, timeoutMs = 5000) =>
      new Promise((resolve, reject) => {
        const timer = setTimeout(() => {
          waiters.delete(check);
          reject(new Error(`no matching log line within ${timeoutMs} ms`));
        }, timeoutMs);
        function check() {
          const line = logs.find(matches);
          if (line === undefined) return;
          clearTimeout(timer);
          waiters.delete(check);
          resolve(line);
        }
        waiters.add(check);
        check();
      }),
    metrics: () => fetchMetricsText(ports.metricsPort),
    stop: () => server.stop(),
    close: async () => {
      client.close();
      await server.stop();
    },
  };
}
