import rateLimit from '@fastify/rate-limit';
import type { FastifyInstance } from 'fastify';
import helmet from 'helmet';

/**
 * Helmet's headers with a strict Content-Security-Policy: everything from this origin only, no
 * inline script or style (the pages use none), no framing, no plugins. Requests are not upgraded
 * to HTTPS by the policy, because a LoadBalancer Service may serve plain HTTP.
 *
 * helmet's middleware is built once, here, and run on every request. `@fastify/helmet` (used
 * before) calls `helmet(options)` on every request, re-parsing the policy each time: ~3 % of the
 * marketplace's CPU profile under load (docs/benchmarks.md).
 */
export function registerSecurityHeaders(app: FastifyInstance): void {
  const setHeaders = helmet({
    contentSecurityPolicy: {
      useDefaults: false,
      directives: {
        defaultSrc: ["'self'"],
        baseUri: ["'self'"],
        formAction: ["'self'"],
        frameAncestors: ["'none'"],
        imgSrc: ["'self'", 'data:'],
        objectSrc: ["'none'"],
        scriptSrc: ["'self'"],
        styleSrc: ["'self'"],
      },
    },
  });
  app.addHook('onRequest', (request, reply, done) =>
    setHeaders(request.raw, reply.raw, (error?: unknown) => done(error as Error | undefined)),
  );
}

/**
 * Per-client rate limiting, off unless `max` > 0. Clients are told apart by `request.ip`: behind
 * a LoadBalancer or ingress that is the proxy's address unless TRUST_PROXY names the proxies,
 * and then every user would share one budget (see docs/operations.md).
 */
export async function registerRateLimit(
  app: FastifyInstance,
  options: { max: number; windowMs: number },
): Promise<void> {
  if (options.max <= 0) return;
  await app.register(rateLimit, {
    max: options.max,
    timeWindow: options.windowMs,
    allowList: (request) => ['/healthz', '/readyz'].includes(request.url),
  });
}
