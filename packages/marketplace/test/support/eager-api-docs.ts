import swagger from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';
import { type ApiDocsRegistration, DOCS_CSP, SWAGGER_OPTIONS } from '../../src/api/docs';
import { serveSwaggerAssetsFromMemory } from '../../src/api/swagger-assets';

/**
 * The docs as the app registered them until issue 27: @fastify/swagger and @fastify/swagger-ui
 * in the app itself, at start. Kept for test/api/docs.test.ts to compare the lazy ones with.
 */
export const registerEagerApiDocs: ApiDocsRegistration = async (app) => {
  // The app registers the API's routes after this, in itself: @fastify/swagger sees them there.
  await app.register(swagger, SWAGGER_OPTIONS);
  app.get('/openapi.json', { schema: { hide: true } }, async () => app.swagger());
  await app.register(async (docs) => {
    docs.addHook('onSend', async (_request, reply) => {
      reply.header('content-security-policy', DOCS_CSP);
    });
    serveSwaggerAssetsFromMemory(docs, '/docs');
    await docs.register(swaggerUi, { routePrefix: '/docs' });
  });
};
