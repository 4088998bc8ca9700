import type { ProbeAnswer } from '@bookstore/service-kit';
import type { FastifyInstance } from 'fastify';
import type { Logger } from 'pino';
import { Registry } from 'prom-client';
import { buildApp } from './app';
import type { MarketplaceConfig } from './config';
import { probeAnswers } from './health/probes';
import { awaitRecommendations } from './health/startup-readiness';
import { createClientMetricsInterceptor } from './observability/grpc-client-metrics';
import { observedHedging } from './observability/hedging-metrics';
import type { MarketplaceMetrics } from './observability/marketplace-metrics';
import { flushOnShutdown } from './reader-events/flush-on-shutdown';
import { createReaderEvents, type ReaderEvents } from './reader-events/reader-events';
import { createCatalogVersionLog } from './recommendations/catalog-versions';
import { createRecommendationsClient, type RecommendationsClient } from './recommendations/client';
import { createChannelSecurity } from './recommendations/credentials';
import { createTlsStatus } from './recommendations/tls-status';

export interface MarketplaceOptions {
  config: MarketplaceConfig;
  logger: Logger;
  /** Where the gRPC client, hedging and HTTP metrics go; none in tests that do not read them. */
  metrics?: MarketplaceMetrics;
  /** Draws the access log's sample (Math.random unless a test seeds it). */
  random?: () => number;
}

export interface Marketplace {
  /** The fastify instance, not listening: `main` listens, tests use `inject`. */
  readonly app: FastifyInstance;
  readonly recommendations: RecommendationsClient;
  readonly readerEvents: ReaderEvents;
  /** `/healthz` and `/readyz` as the public port answers them, for the metrics port (health/probes.ts). */
  readonly probes: Record<'/healthz' | '/readyz', () => ProbeAnswer>;
  /**
   * Shuts down: `/readyz` answers 503, the app closes (finishing its requests), the reader events
   * get until `deadline` (ms since the epoch) to be acknowledged, or are dropped at once without
   * one, and the channels close.
   */
  readonly close: (deadline?: number) => Promise<void>;
}

/**
 * The marketplace wired from its config: the channels to Recommendations (TLS, hedging, client
 * metrics), the reader-events stream over them, the start-up wait and the app. `main` and the
 * tests build it here, so what the tests run is what ships.
 */
export async function createMarketplace(options: MarketplaceOptions): Promise<Marketplace> {
  const { config, logger, metrics } = options;
  const recommendations = createRecommendationsClient({
    address: config.recommendationsAddr,
    timeoutMs: config.recommendationsTimeoutMs,
    interceptors: metrics ? [createClientMetricsInterceptor(metrics)] : [],
    // Without `metrics`, the hedging gauges go to a registry nobody reads.
    hedging: observedHedging(config.recommendationsHedgingDelayMs, metrics?.registry ?? new Registry()),
    onCatalogVersion: createCatalogVersionLog(logger),
    security: createChannelSecurity(
      config.recommendationsTls,
      createTlsStatus({ logger, target: config.recommendationsAddr }),
    ),
  });
  const readerEvents = createReaderEvents({
    capacity: config.readerEventsOutboxSize,
    openStream: () => recommendations.openRecordEvents(),
    logger,
    registry: metrics?.registry,
  });
  // Connecting starts now, before the ports open: the first pages find the channels ready.
  const startup = awaitRecommendations({
    waitForReady: (deadline) => recommendations.waitForReady(deadline),
    timeoutMs: config.recommendationsStartupTimeoutMs,
    logger,
  });
  let ready = true;
  const isReady = () => ready;
  const app = await buildApp({
    config,
    logger,
    recommendations,
    readerEvents,
    metrics,
    isReady,
    isStarted: startup.isStarted,
    random: options.random,
  });
  return {
    app,
    recommendations,
    readerEvents,
    probes: probeAnswers(isReady, startup.isStarted),
    close: async (deadline) => {
      ready = false;
      await app.close();
      if (deadline === undefined) readerEvents.close();
      else await flushOnShutdown({ readerEvents, logger, deadline });
      recommendations.close();
    },
  };
}
