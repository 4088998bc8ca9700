import swagger from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';
import type { FastifyInstance } from 'fastify';
import { contentSecurityPolicy } from '../http/security-headers';
import { serveSwaggerAssetsFromMemory } from './swagger-assets';

const DOCS_CSP = contentSecurityPolicy({ styleSrc: ["'self'", "'unsafe-inline'"] });

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
  // Swagger UI injects <style> elements, so its pages alone allow inline styles; scripts stay
  // 'self' only, and every other page keeps the strict policy. The scope confines the hook.
  await app.register(async (docs) => {
    docs.addHook('onSend', async (_request, reply) => {
      reply.header('content-security-policy', DOCS_CSP);
    });
    serveSwaggerAssetsFromMemory(docs, '/docs');
    await docs.register(swaggerUi, { routePrefix: '/docs' });
  });
}
