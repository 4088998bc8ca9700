import { type ChannelOptions, Server, ServerCredentials } from '@grpc/grpc-js';
import type { Logger } from 'pino';
import type { RecommendationsConfig } from './config';
import type { Catalog } from './domain/catalog';
import { capConnections } from './connection-cap';
import { createServerCredentials } from './credentials';
import type { Recommender } from './domain/recommender';
import type { EventStore } from './store/event-store';
import { wireReaderEvents } from './reader-events-wiring';
import { createRecommendationService } from './grpc/recommendation-service';
import { createHealthState } from './health';
import { createAllowedClientsInterceptor } from './interceptors/allowed-clients';
import { catalogVersionMetadata } from './interceptors/catalog-version';
import { accessLogDecision, createMetricsServer } from '@bookstore/service-kit';
import { createServerMetrics } from './observability/server-metrics';
import { createCallObserver } from './observability/call-observer';
import { observedServer } from './observability/observed-handlers';
import { createCallInterceptor } from './observability/call-interceptor';
import { trackSessions } from './grpc/open-sessions';
import { recommendationServiceDefinition } from './grpc/response-serializers';
import { createReflectionService } from './reflection';
import { boundedReflection } from './bounded-reflection';

export interface BoundPorts {
  readonly port: number;
  readonly metricsPort: number;
  /** The plaintext health port; only with TLS on. */
  readonly healthPort: number | undefined;
}

export interface RecommendationServer {
  /** Binds every port, then reports ready. */
  start(): Promise<BoundPorts>;
  /**
   * Readiness NOT_SERVING, stop accepting, end RecordEvents streams between batches
   * (UNAVAILABLE: their senders reconnect elsewhere), let in-flight calls and streams finish for
   * `config.shutdownGraceMs`, then cancel the rest. Safe to call more than once.
   */
  stop(): Promise<void>;
}

/**
 * Connection settings; docs/operations.md says why each default is what it is. Exported for
 * bench/layers, whose rows must run with exactly these.
 */
export function serverOptions(config: RecommendationsConfig): ChannelOptions {
  return {
    'grpc.max_receive_message_length': config.maxReceiveMessageBytes,
    'grpc.max_concurrent_streams': config.maxConcurrentStreams,
    'grpc.max_connection_age_ms': config.maxConnectionAgeMs,
    'grpc.max_connection_age_grace_ms': config.maxConnectionAgeGraceMs,
    'grpc.keepalive_time_ms': config.keepaliveTimeMs,
    'grpc.keepalive_timeout_ms': config.keepaliveTimeoutMs,
    // Not served, and tracked per call when on. grpc-js' forceShutdown then misses the open
    // sessions; shutDown destroys them itself (grpc/open-sessions.ts, docs/benchmarks.md).
    'grpc.enable_channelz': 0,
  };
}

function bind(server: Server, address: string, credentials: ServerCredentials): Promise<number> {
  return new Promise((resolve, reject) =>
    server.bindAsync(address, credentials, (error, port) => (error ? reject(error) : resolve(port))),
  );
}

function shutDown(server: Server, graceMs: number, sessions: { destroyAll(): void } | undefined): Promise<void> {
  return new Promise((resolve) => {
    const force = setTimeout(() => {
      server.forceShutdown();
      sessions?.destroyAll();
    }, graceMs);
    server.tryShutdown(() => {
      clearTimeout(force);
      resolve();
    });
  });
}

/**
 * Wires the gRPC server: the service, health and reflection, each handler observed (request id,
 * access log, metrics); credentials; the metrics endpoint.
 */
export function createRecommendationServer(options: {
  config: RecommendationsConfig;
  logger: Logger;
  /** The catalog's recommender: random picks, ListBooks. */
  recommender: Recommender;
  /**
   * With both, Recommend is personalised for known readers, and GetBook and RecordEvents are
   * served; without, those two answer UNIMPLEMENTED. The server starts the store's consumer when
   * it starts (counting what it applies); the caller closes the store after stop().
   */
  readerEvents?: { catalog: Catalog; store: EventStore };
  /** Draws the access log's sample (Math.random unless a test seeds it). */
  random?: () => number;
  /** The catalog's version (catalogVersion), sent as `catalog-version` metadata on every answer. */
  catalogVersion?: string;
}): RecommendationServer {
  const { config, logger } = options;
  const health = createHealthState({ maxWatches: config.maxHealthWatches });
  const metrics = createServerMetrics();
  const allowedClients = config.tls?.allowedClients;
  const identifyCallers = config.tls?.clientCaFile !== undefined;
  const observer = createCallObserver({
    logger,
    metrics,
    identifyCallers,
    shouldLog: accessLogDecision(config.accessLog, options.random),
  });
  const observing = {
    observer,
    identifyCallers,
    logger,
    answer: options.catalogVersion === undefined ? undefined : catalogVersionMetadata(options.catalogVersion),
  };
  // The call interceptor last, nearest the handlers (call-interceptor.ts says why).
  const callInterceptor = createCallInterceptor(observing);
  const server = new Server({
    ...serverOptions(config),
    // Access control, then the call interceptor nearest the handlers.
    interceptors: [
      ...(allowedClients === undefined ? [] : [createAllowedClientsInterceptor(allowedClients)]),
      callInterceptor,
    ],
  });
  const observed = observedServer(server, observing);
  const draining = new AbortController();
  const { recommender, readerEvents, imports } = wireReaderEvents({ ...options, metrics, draining: draining.signal });
  observed.addService(
    recommendationServiceDefinition,
    createRecommendationService({
      recommender,
      logger,
      maxListBooksStreams: config.maxListBooksStreams,
      readerEvents,
      imports,
    }),
  );
  health.addToServer(observed);
  if (config.enableReflection) {
    createReflectionService().addToServer(boundedReflection(observed, { maxStreams: config.maxReflectionStreams }));
  }

  // Kubernetes' native gRPC probes cannot speak TLS: with TLS on, health is also plaintext here.
  // Whatever reaches the pod reaches this port too, so it has the same limits (issue 25).
  const healthServer =
    config.tls === undefined ? undefined : new Server({ ...serverOptions(config), interceptors: [callInterceptor] });
  if (healthServer !== undefined) health.addToServer(observedServer(healthServer, observing));
  const metricsServer = createMetricsServer({
    registry: metrics.registry,
    host: config.host,
    port: config.metricsPort,
  });

  let sessions: ReturnType<typeof trackSessions>;
  let healthSessions: ReturnType<typeof trackSessions>;
  let stopping: Promise<void> | undefined;
  return {
    async start() {
      options.readerEvents?.store.startConsumer(() => metrics.countApplied());
      const tls = createServerCredentials(config.tls);
      await tls.loaded();
      // Each port's observer, session tracking and connection cap attach as soon as it is bound,
      // before the next await, so no connection accepted meanwhile escapes them.
      const port = await bind(server, `${config.host}:${config.port}`, tls.credentials);
      observer.attach(server);
      sessions = trackSessions(server);
      capConnections(server, config.maxConnections, logger);
      let healthPort: number | undefined;
      if (healthServer !== undefined) {
        healthPort = await bind(
          healthServer,
          `${config.host}:${config.healthPort}`,
          ServerCredentials.createInsecure(),
        );
        observer.attach(healthServer);
        healthSessions = trackSessions(healthServer);
        capConnections(healthServer, config.maxConnections, logger);
      }
      if (sessions === undefined) logger.warn('grpc-js internals moved: shutdown cannot cut open connections');
      const metricsPort = await metricsServer.start();
      health.markReady();
      metrics.setReady(true);
      return { port, metricsPort, healthPort };
    },
    stop() {
      stopping ??= (async () => {
        health.markDraining();
        metrics.setReady(false);
        draining.abort();
        await shutDown(server, config.shutdownGraceMs, sessions);
        if (healthServer !== undefined) await shutDown(healthServer, 0, healthSessions);
        await metricsServer.stop();
      })();
      return stopping;
    },
  };
}
