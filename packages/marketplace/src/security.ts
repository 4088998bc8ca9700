import helmet from '@fastify/helmet';
import rateLimit from '@fastify/rate-limit';
import type { FastifyInstance } from 'fastify';

/**
 * Helmet's headers with a strict Content-Security-Policy: everything from this origin only, no
 * inline script or style (the pages use none), no framing, no plugins. Requests are not upgraded
 * to HTTPS by the policy, because a LoadBalancer Service may serve plain HTTP.
 */
export async function registerSecurityHeaders(app: FastifyInstance): Promise<void> {
  await app.register(helmet, {
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
