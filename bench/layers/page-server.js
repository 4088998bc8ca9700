// The Marketplace homepage with its first LAYERS production layers (bench/layers.js): the bare
// page of bare-page.js, then the project's own modules (packages/marketplace/dist) added one at
// a time, registered as app.ts registers them. What it leaves out (connection guards, URL length
// guard, draining, rate limit, static files, error handling, API docs, hedging and the client's
// metrics interceptor) is what the production row (dist/main.js) adds on top.
// Usage: LAYERS=<0..8> PORT=5091 RECOMMENDATIONS_ADDR=127.0.0.1:50083 node bench/layers/page-server.js
const { createRequire } = require('node:module');
const { join } = require('node:path');

const MARKETPLACE = join(__dirname, '../../packages/marketplace');
const dist = (path) => require(join(MARKETPLACE, 'dist', path));
// The marketplace's own fastify and plugins, as its app loads them.
const fromMarketplace = createRequire(join(MARKETPLACE, 'package.json'));
const { BookCategory, RecommendationServiceClient } = fromMarketplace('@bookstore/contracts');
const { credentials } = fromMarketplace('@grpc/grpc-js');
const view = fromMarketplace('@fastify/view');
const { default: Fastify, LogController } = fromMarketplace('fastify');
const handlebars = fromMarketplace('handlebars');
const { loadConfig } = dist('config');
const { createLogger } = dist('logger');
const { createRecommendationsClient } = dist('recommendations/client');
const { registerSecurityHeaders } = dist('http/security-headers');
const { CATEGORY_PARAMETER, categoryBySlug } = dist('catalog/categories');
const { cookieUserId, resolveReader, USER_PARAMETER } = dist('http/user-identity');
const { createMarketplaceMetrics, pageRecorder } = dist('observability/marketplace-metrics');
const { registerHttpMetrics } = dist('observability/http-metrics');
const { requestIdFrom, requestIdHeader } = dist('http/request-id');
const { accessLog } = dist('observability/access-log');
const { registerViews } = dist('pages/views');
const { pageContext } = dist('pages/page-context');
const { groupRecommendations } = dist('pages/recommendation-groups');
const { HOMEPAGE_BOOKS } = dist('routes/home');

/** The layers, in the order bench/layers.js lists them; each row is named after one. */
const LAYERS = ['client', 'helmet', 'schema', 'cookie', 'metrics', 'request-id', 'access-log', 'views'];
const count = Number(process.env.LAYERS ?? LAYERS.length);
const on = (layer) => LAYERS.indexOf(layer) < count;

// The production defaults, as main.ts reads them.
const config = loadConfig(process.env);
const metrics = on('metrics') ? createMarketplaceMetrics() : undefined;

async function build() {
  const app = Fastify({
    ...(on('request-id') ? { genReqId: requestIdFrom } : {}),
    ...(on('access-log')
      ? {
          loggerInstance: createLogger({ level: config.logLevel }),
          logController: new LogController({ disableRequestLogging: true }),
        }
      : {}),
    ...(on('schema') ? { ajv: { customOptions: { removeAdditional: false } } } : {}),
  });
  if (on('helmet')) registerSecurityHeaders(app);
  if (on('request-id')) await app.register(requestIdHeader);
  if (on('access-log'))
    await app.register(accessLog, {
      policy: config.accessLog,
      clientErrorsPerSecond: config.accessLogClientErrorsPerSecond,
    });
  if (metrics) registerHttpMetrics(app, metrics);
  if (on('views')) await registerViews(app);
  else await app.register(view, { engine: { handlebars }, root: join(__dirname, '..', 'views'), production: true });

  const recordPage = pageRecorder(metrics);
  const querystring = {
    type: 'object',
    properties: { category: CATEGORY_PARAMETER, user: USER_PARAMETER },
    additionalProperties: false,
  };
  const render = (reply, books, { category, returning, unavailable }) =>
    on('views')
      ? reply.type('text/html; charset=utf-8').viewAsync('home.hbs', {
          ...pageContext({ current: category }),
          heading: `${category.label} books you may like`,
          ...groupRecommendations(books, { personal: returning }),
          unavailable,
        })
      : reply.type('text/html').viewAsync('bare.hbs', { books });

  if (!on('client')) {
    // bare-page.js' route.
    const client = new RecommendationServiceClient(config.recommendationsAddr, credentials.createInsecure());
    app.get('/', (request, reply) => {
      client.recommend(
        { userId: 1, category: BookCategory.BOOK_CATEGORY_MYSTERY, maxResults: 3 },
        { deadline: Date.now() + 300 },
        (error, response) => {
          reply.type('text/html').view('bare.hbs', { books: error ? [] : response.recommendations });
        },
      );
      return reply;
    });
    app.addHook('onClose', async () => client.close());
    return app;
  }
  const recommendations = createRecommendationsClient({
    address: config.recommendationsAddr,
    timeoutMs: config.recommendationsTimeoutMs,
  });
  app.addHook('onClose', async () => recommendations.close());
  // routes/home.ts' handler, its parts switched on layer by layer.
  app.get('/', on('schema') ? { schema: { querystring } } : {}, async (request, reply) => {
    const category = on('schema') ? categoryBySlug(request.query.category) : categoryBySlug('mystery');
    const returning = on('cookie') && request.query.user === undefined && cookieUserId(request) !== undefined;
    const userId = on('cookie')
      ? request.query.user === undefined
        ? resolveReader(request, reply, { secureCookie: config.cookieSecure })
        : 0
      : 1;
    const outcome = await recommendations.recommend(
      { userId, category: category.value, maxResults: HOMEPAGE_BOOKS },
      on('request-id') || on('access-log') ? { requestId: request.id, log: request.log } : undefined,
    );
    recordPage('home', !outcome.available);
    return render(reply, outcome.available ? outcome.value : [], {
      category,
      returning,
      unavailable: !outcome.available,
    });
  });
  return app;
}

build()
  .then((app) =>
    app.listen({ host: '127.0.0.1', port: Number(process.env.PORT ?? 5091) }).then((address) => {
      process.stdout.write(`listening ${new URL(address).port}\n`);
      process.on('SIGTERM', () => app.close());
    }),
  )
  .catch((error) => {
    process.stderr.write(`page-server failed: ${error.stack}\n`);
    process.exit(1);
  });
