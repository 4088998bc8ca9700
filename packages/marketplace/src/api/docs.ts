import type * as SwaggerModule from '@fastify/swagger';
import type { FastifyDynamicSwaggerOptions } from '@fastify/swagger';
import type * as SwaggerUiModule from '@fastify/swagger-ui';
import type { FastifyInstance } from 'fastify';
import { contentSecurityPolicy } from '../http/security-headers';
import { lazyInstance } from './lazy-instance';
import { serveSwaggerAssetsFromMemory } from './swagger-assets';

/** Registers the JSON API's routes (with their schemas) on an instance. */
export type ApiRoutes = (instance: FastifyInstance) => Promise<void>;
/** How the app gets `/openapi.json` and `/docs`: `registerApiDocs`, or in a test the eager way. */
export type ApiDocsRegistration = (app: FastifyInstance, apiRoutes: ApiRoutes) => Promise<void>;

export const DOCS_CSP = contentSecurityPolicy({ styleSrc: ["'self'", "'unsafe-inline'"] });

export const SWAGGER_OPTIONS: FastifyDynamicSwaggerOptions = {
  openapi: {
    openapi: '3.0.3',
    info: {
      title: 'Online Books For You API',
      version: '1.0.0',
      description:
        'Book recommendations and the catalog, served by the Marketplace over the Recommendations gRPC service.',
    },
    tags: [{ name: 'books', description: 'Recommendations and the catalog' }],
  },
  // Only the JSON API is documented, not the HTML pages.
  hideUntagged: true,
};

/**
 * The paths @fastify/swagger-ui 6 answers under its prefix (lib/routes.js): `/` (so `/docs` and
 * `/docs/`), its generated files and the spec as GET (and fastify's HEAD), and @fastify/static's
 * GET and HEAD wildcard. The same routes here keep every other path the app's 404, as before.
 */
const UI_PATHS = ['/', '/static/index.html', '/static/swagger-initializer.js', '/json', '/yaml', '/static/*'];

/** @fastify/swagger, the API's routes, `/openapi.json` and Swagger UI at `/docs`, on `docs`. */
async function registerSwagger(docs: FastifyInstance, apiRoutes: ApiRoutes): Promise<void> {
  // Required here, not imported at the top, so that loading the app does not load them.
  /* eslint-disable @typescript-eslint/no-require-imports */
  const swagger = (require('@fastify/swagger') as typeof SwaggerModule).default;
  const swaggerUi = (require('@fastify/swagger-ui') as typeof SwaggerUiModule).default;
  /* eslint-enable @typescript-eslint/no-require-imports */
  await docs.register(swagger, SWAGGER_OPTIONS);
  await apiRoutes(docs);
  docs.get('/openapi.json', { schema: { hide: true } }, async () => docs.swagger());
  await docs.register(swaggerUi, { routePrefix: '/docs' });
}

/**
 * OpenAPI 3 at `/openapi.json`, built from the JSON API's route schemas, and Swagger UI at
 * `/docs` with its assets served by the app (no CDN).
 *
 * @fastify/swagger and @fastify/swagger-ui (with yaml and json-schema-resolver) took ~70 ms of
 * the start's CPU for pages few ask for (issue 27). They live in a second instance, never
 * listening, built on the first request for them or 2 s after the app listens, whichever comes
 * first; the app has the same routes and forwards them there (lazy-instance.ts). Swagger UI's
 * files stay served from memory here, ahead of the forwarding.
 */
export const registerApiDocs: ApiDocsRegistration = async (app, apiRoutes) => {
  const docs = lazyInstance((instance) => registerSwagger(instance, apiRoutes));
  let timer: NodeJS.Timeout | undefined;
  app.addHook('onListen', (done) => {
    const build = () => {
      docs.build().catch((error: unknown) => app.log.error({ err: error }, 'building the API docs failed'));
    };
    // After app.ts' compileAll (1 s), so the two bursts of work do not stack.
    timer = setTimeout(build, 2000).unref();
    done();
  });
  app.addHook('onClose', async () => {
    clearTimeout(timer);
    await docs.close();
  });
  app.route({ method: ['GET', 'HEAD'], url: '/openapi.json', handler: docs.forward });
  // Swagger UI injects <style> elements, so its pages alone allow inline styles; scripts stay
  // 'self' only, and every other page keeps the strict policy. The scope confines the hook.
  await app.register(
    async (scope) => {
      scope.addHook('onSend', async (_request, reply) => {
        reply.header('content-security-policy', DOCS_CSP);
      });
      serveSwaggerAssetsFromMemory(scope, '/docs');
      for (const url of UI_PATHS) scope.route({ method: ['GET', 'HEAD'], url, handler: docs.forward });
    },
    { prefix: '/docs' },
  );
};
