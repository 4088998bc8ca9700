import type { FastifyPluginAsync } from 'fastify';
import { probeAnswers } from './probes';

/** `GET /healthz` and `GET /readyz` on the public port too (probes.ts says what they answer). */
export const healthRoutes: FastifyPluginAsync<{ isReady: () => boolean; isStarted?: () => boolean }> = async (
  app,
  options,
) => {
  const answers = probeAnswers(options.isReady, options.isStarted);
  for (const [path, answer] of Object.entries(answers)) {
    // Probes arrive every few seconds: logged only when something is wrong.
    app.get(path, { logLevel: 'warn' }, async (_request, reply) => {
      const { statusCode, body } = answer();
      return reply.code(statusCode).send(body);
    });
  }
};
