import type { FastifyInstance } from 'fastify';
import { parse, type HTMLElement } from 'node-html-parser';
import pino from 'pino';
import { loadConfig } from '../../src/config';
import { createMarketplace } from '../../src/marketplace';
import type { MarketplaceMetrics } from '../../src/observability/marketplace-metrics';
import type { ReaderEvents } from '../../src/reader-events/reader-events';
import { type FakeRecommendations, startFakeRecommendations } from './fake-recommendations';

export type LogLine = Record<string, unknown> & { msg: string; level: number };

export interface TestApp {
  readonly app: FastifyInstance;
  readonly logs: LogLine[];
  /** The app's reader-events pipeline (views go to the server's RecordEvents). */
  readonly readerEvents: ReaderEvents;
  close(): Promise<void>;
}

/** The marketplace built in-process (no port), talking to Recommendations at `address`. */
export async function buildTestApp(options: {
  address: string;
  timeoutMs?: number;
  /** Environment overrides, read by the real config loader. */
  env?: Record<string, string>;
  /** The access log's random source (its sample). */
  random?: () => number;
  /** Where the app's metrics go, for tests that read them. */
  metrics?: MarketplaceMetrics;
}): Promise<TestApp> {
  const logs: LogLine[] = [];
  const logger = pino({ level: 'info' }, { write: (line: string) => logs.push(JSON.parse(line) as LogLine) });
  // Every request logged, as `make run` does, unless `env` says otherwise; no rate limit (every
  // injected request comes from one address), no hedging and no start-up wait unless `env` sets
  // them. RECOMMENDATIONS_TLS_* in `env` turn TLS on, as in production.
  const config = loadConfig({
    ACCESS_LOG_SAMPLE_RATE: '1',
    RATE_LIMIT_MAX: '0',
    RECOMMENDATIONS_HEDGING_DELAY_MS: '0',
    RECOMMENDATIONS_STARTUP_TIMEOUT_MS: '0',
    ...options.env,
    RECOMMENDATIONS_ADDR: options.address,
    RECOMMENDATIONS_TIMEOUT_MS: String(options.timeoutMs ?? 1000),
  });
  const marketplace = await createMarketplace({ config, logger, metrics: options.metrics, random: options.random });
  return { app: marketplace.app, logs, readerEvents: marketplace.readerEvents, close: () => marketplace.close() };
}

/** Parses an HTML page for assertions about what a person sees. */
export function html(body: string): HTMLElement {
  return parse(body);
}

/**
 * Registers beforeAll/afterAll hooks that start a Recommendations server (the contract-level fake
 * unless `start` says otherwise) and build the app against it; the returned object is filled in
 * once the hooks have run.
 */
export function withBookstore(start: () => Promise<FakeRecommendations> = () => startFakeRecommendations()): {
  app: FastifyInstance;
  logs: LogLine[];
  server: FakeRecommendations;
  readerEvents: ReaderEvents;
} {
  const context = {} as {
    app: FastifyInstance;
    logs: LogLine[];
    server: FakeRecommendations;
    readerEvents: ReaderEvents;
  };
  let stop: () => Promise<void> = async () => undefined;
  beforeAll(async () => {
    const server = await start();
    const t = await buildTestApp({ address: server.address });
    Object.assign(context, { app: t.app, logs: t.logs, server, readerEvents: t.readerEvents });
    stop = async () => {
      await t.close();
      await server.stop();
    };
  });
  afterAll(() => stop());
  return context;
}
