// Recommendations with its first LAYERS production layers (bench/layers.js): the bare server of
// bare-grpc-server.js, then the project's own modules (packages/recommendations/dist) added one
// at a time, wired as server.ts wires them. Not a second implementation: where server.ts does a
// thing, this calls the same function; what it leaves out (health, reflection, the /metrics
// server, TLS) is what the production row (dist/main.js) adds on top.
// Usage: LAYERS=<0..9> PORT=50091 node bench/layers/recommend-server.js   (prints "listening <port>")
const { RecommendationServiceService } = require('@bookstore/contracts');
const {
  BOOKS,
  createCatalog,
  createEventStore,
  createLogger,
  createRecommender,
  loadConfig,
} = require('@bookstore/recommendations');
const { Server, ServerCredentials } = require('@grpc/grpc-js');
const { createRequire } = require('node:module');

const dist = (path) => require(`@bookstore/recommendations/dist/${path}`);
// The service-kit the service itself loads.
const { accessLogDecision } = createRequire(require.resolve('@bookstore/recommendations'))('@bookstore/service-kit');
const { createRecommendationService } = dist('grpc/recommendation-service');
const { recommendationServiceDefinition } = dist('grpc/response-serializers');
const { trackSessions } = dist('grpc/open-sessions');
const { wireReaderEvents } = dist('reader-events-wiring');
const { capConnections } = dist('connection-cap');
const { catalogVersion } = dist('domain/catalog-version');
const { catalogVersionMetadata } = dist('interceptors/catalog-version');
const { DEFAULT_READ_MODEL_LIMITS } = dist('store/event-store');
const { createCallInterceptor } = dist('observability/call-interceptor');
const { createCallObserver } = dist('observability/call-observer');
const { observedServer } = dist('observability/observed-handlers');
const { createServerMetrics } = dist('observability/server-metrics');

/** The layers, in the order a call meets them; bench/layers.js names each row after one. */
const LAYERS = [
  'service',
  'call-interceptor',
  'observer',
  'catalog-version',
  'access-log',
  'metrics',
  'caller-identity',
  'connection-cap',
  'serializers',
];
const count = Number(process.env.LAYERS ?? LAYERS.length);
const on = (layer) => LAYERS.indexOf(layer) < count;

// The production defaults (NODE_ENV, LOG_LEVEL info, ACCESS_LOG_SAMPLE_RATE 0.01, …), as main.ts reads them.
const config = loadConfig(process.env);
// Below the access-log layer the observer has a logger that writes no access line.
const logger = createLogger({ level: on('access-log') ? config.logLevel : 'warn' });
const catalog = createCatalog(BOOKS, { minPerCategory: 6 });
const recommender = createRecommender({ catalog });
let server;
let attachedObserver;

if (!on('service')) {
  server = new Server();
} else {
  const metrics = createServerMetrics();
  const noCounts = { started() {}, received() {}, sent() {}, handled() {}, rejected() {} };
  // Below the metrics layer: the observer's per-call counters do nothing.
  const observerMetrics = on('metrics') ? metrics : { ...metrics, forMethod: () => noCounts };
  const observer = createCallObserver({
    logger,
    metrics: observerMetrics,
    identifyCallers: on('caller-identity'),
    shouldLog: accessLogDecision(config.accessLog),
  });
  const observing = {
    observer,
    identifyCallers: on('caller-identity'),
    logger,
    answer: on('catalog-version') ? catalogVersionMetadata(catalogVersion(catalog)) : undefined,
  };
  const interceptors = on('call-interceptor') ? [createCallInterceptor(observing)] : [];
  // server.ts' own connection settings, from the same config.
  server = new Server({
    ...dist('server').serverOptions(config),
    interceptors,
  });
  const store = createEventStore({ url: undefined, limits: DEFAULT_READ_MODEL_LIMITS, logger, claimIdleMs: 30_000 });
  const wired = wireReaderEvents({
    config,
    logger,
    recommender,
    readerEvents: { catalog, store },
    metrics,
    draining: new globalThis.AbortController().signal,
  });
  store.startConsumer(() => metrics.countApplied());
  const target = on('observer') ? observedServer(server, observing) : server;
  target.addService(
    on('serializers') ? recommendationServiceDefinition : RecommendationServiceService,
    createRecommendationService({
      recommender: wired.recommender,
      logger,
      maxListBooksStreams: config.maxListBooksStreams,
      readerEvents: wired.readerEvents,
      imports: wired.imports,
    }),
  );
  if (on('observer')) attachedObserver = observer;
}

if (!on('service')) {
  // bare-grpc-server.js' handler.
  server.addService(RecommendationServiceService, {
    recommend(call, callback) {
      const { userId, category, maxResults } = call.request;
      const books = recommender.recommend({ userId, category, maxResults });
      const recommendations = books.map((b) => ({ id: b.id, title: b.title, becauseOfBookId: 0, becauseOfTitle: '' }));
      callback(null, { recommendations });
    },
    listBooks(call) {
      for (const book of recommender.listBooks(call.request)) call.write({ book });
      call.end();
    },
  });
}

server.bindAsync(`127.0.0.1:${process.env.PORT ?? 50091}`, ServerCredentials.createInsecure(), (error, port) => {
  if (error) throw error;
  // As server.ts' start(): attached right after binding.
  attachedObserver?.attach(server);
  if (on('connection-cap')) {
    trackSessions(server);
    capConnections(server, config.maxConnections, logger);
  }
  process.stdout.write(`listening ${port}\n`);
});
process.on('SIGTERM', () => server.forceShutdown());
