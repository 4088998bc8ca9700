import type { FastifyPluginAsync } from 'fastify';

/**
 * `GET /healthz`: the process answers. `GET /readyz`: it can serve pages. Neither asks
 * Recommendations: when it is down the pages degrade, so the marketplace stays ready.
 */
export const healthRoutes: FastifyPluginAsync<{ isReady: () => boolean }> = async (app, options) => {
  // Probes arrive every few seconds: logged only when something is wrong.
  app.get('/healthz', { logLevel: 'warn' }, async () => ({ status: 'ok' }));
  app.get('/readyz', { logLevel: 'warn' }, async (_request, reply) =>
    options.isReady() ? { status: 'ready' } : reply.code(503).send({ status: 'shutting down' }),
  );
};
