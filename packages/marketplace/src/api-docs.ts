import swagger from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';
import type { FastifyInstance } from 'fastify';

/**
 * OpenAPI 3 at `/openapi.json`, built from the JSON API's route schemas, and Swagger UI at
 * `/docs` with its assets served by the app (no CDN).
 */
export async function registerApiDocs(app: FastifyInstance): Promise<void> {
  await app.register(swagger, {
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
  });
  app.get('/openapi.json', { schema: { hide: true } }, async () => app.swagger());
  await app.register(swaggerUi, { routePrefix: '/docs', staticCSP: true });
}
