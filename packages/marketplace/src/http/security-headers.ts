import type { FastifyInstance } from 'fastify';
import helmet from 'helmet';
import { IncomingMessage, ServerResponse } from 'node:http';
import { Socket } from 'node:net';

/**
 * Helmet's headers with a strict Content-Security-Policy: everything from this origin only, no
 * inline script or style (the pages use none), no framing, no plugins. Requests are not upgraded
 * to HTTPS by the policy, because a LoadBalancer Service may serve plain HTTP.
 *
 * The headers are the same on every answer, so helmet runs once, at start (securityHeaderPairs),
 * and each request gets the pairs as reply headers: running helmet's chain of 12 middleware per
 * request, each setting a header on the raw response, was a measured cost (docs/benchmarks.md,
 * "Layer costs"); `@fastify/helmet` (used before that) even re-parsed the policy per request.
 */
export function registerSecurityHeaders(app: FastifyInstance): void {
  const pairs = securityHeaderPairs();
  app.addHook('onRequest', (_request, reply, done) => {
    for (const [name, value] of pairs) reply.header(name, value);
    done();
  });
}

/** The Content-Security-Policy of every answer, in helmet's form; `contentSecurityPolicy` writes it out. */
const CSP_DIRECTIVES = {
  defaultSrc: ["'self'"],
  baseUri: ["'self'"],
  formAction: ["'self'"],
  frameAncestors: ["'none'"],
  imgSrc: ["'self'", 'data:'],
  objectSrc: ["'none'"],
  scriptSrc: ["'self'"],
  styleSrc: ["'self'"],
} as const satisfies Record<string, readonly string[]>;

export type CspDirectives = { [name in keyof typeof CSP_DIRECTIVES]: readonly string[] };

/**
 * The policy as a header value, with some directives replaced: the one place a page may relax it
 * (Swagger UI's pages allow inline styles this way).
 */
export function contentSecurityPolicy(overrides: Partial<CspDirectives> = {}): string {
  return Object.entries({ ...CSP_DIRECTIVES, ...overrides })
    .map(([name, values]) => `${name.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`)} ${values.join(' ')}`)
    .join(';'); // as helmet writes it
}

function createSecurityHeaders() {
  return helmet({
    contentSecurityPolicy: {
      useDefaults: false,
      directives: Object.fromEntries(Object.entries(CSP_DIRECTIVES).map(([name, values]) => [name, [...values]])),
    },
  });
}

/**
 * Helmet's headers as name/value pairs, as helmet sets them on a response: for every answer, and
 * for those written before fastify has a request (the 400/408/431 Node's parser rejects,
 * clientErrorHandler, and the 400 of a malformed URL).
 */
export function securityHeaderPairs(): [string, string][] {
  // A real (never sent) response for helmet to set its headers on, on an unconnected socket.
  const request = new IncomingMessage(new Socket());
  const response = new ServerResponse(request);
  createSecurityHeaders()(request, response, () => undefined);
  return Object.entries(response.getHeaders()).map(([name, value]): [string, string] => [
    name,
    Array.isArray(value) ? value.join(', ') : String(value),
  ]);
}
