import Fastify, { type FastifyInstance, type FastifyReply, type FastifyRequest } from 'fastify';
import type { IncomingHttpHeaders } from 'node:http';
import { lazyCompilers } from '../http/lazy-compilers';

/** The header that numbers each forwarded request, so the instance's handlers can report on it. */
const FORWARD_ID = 'x-forward-id';
const NOT_FOUND = Symbol('not found');
/** Request headers that describe the connection or a body, not the request the instance answers. */
const NOT_FORWARDED = new Set(['connection', 'keep-alive', 'transfer-encoding', 'content-length', FORWARD_ID]);
/** Answer headers the app's own reply writes. */
const NOT_COPIED = new Set(['connection', 'keep-alive', 'transfer-encoding', 'date']);

export interface LazyInstance {
  /** Builds the instance once (a memoised promise); later calls return the same promise. */
  readonly build: () => Promise<FastifyInstance>;
  /** A route handler: answers with what the instance answers to the same method, URL and headers. */
  readonly forward: (request: FastifyRequest, reply: FastifyReply) => Promise<FastifyReply>;
  /** Closes the instance if it was built. */
  readonly close: () => Promise<void>;
}

/**
 * A second fastify instance, never listening, that `setup` fills on first use, and a handler that
 * forwards requests to it through `inject` (public API) and copies status, headers and payload
 * back. The app's own hooks still run around the forwarding route (security headers, logs).
 *
 * What the instance does not answer itself goes back to the app: a path it has no route for, or
 * that a route passes on with `callNotFound` (@fastify/static for a missing file), is the app's
 * `callNotFound`; an error is thrown to the app's error handler; so both answer as if the
 * instance's routes were the app's. A failed build is thrown to the error handler on every use.
 */
export function lazyInstance(setup: (instance: FastifyInstance) => Promise<void>): LazyInstance {
  const outcomes = new Map<string, Error | typeof NOT_FOUND>();
  let forwards = 0;
  let instance: Promise<FastifyInstance> | undefined;
  const idOf = (request: FastifyRequest) => String(request.headers[FORWARD_ID]);

  const create = async (): Promise<FastifyInstance> => {
    // Its routes' validators are never needed (only the forwarded paths reach it): never compiled.
    const created = Fastify({ schemaController: lazyCompilers().schemaController });
    created.setNotFoundHandler(async (request, reply) => {
      outcomes.set(idOf(request), NOT_FOUND);
      return reply.code(404).send();
    });
    created.setErrorHandler(async (error: Error, request, reply) => {
      outcomes.set(idOf(request), error);
      return reply.code(500).send();
    });
    await setup(created);
    await created.ready();
    return created;
  };
  let closed = false;
  // Once closed, never built: a timer or a late request must not leave an instance nobody closes.
  const build = () => (instance ??= closed ? Promise.reject(new Error('closed')) : create());

  const forward = async (request: FastifyRequest, reply: FastifyReply): Promise<FastifyReply> => {
    const target = await build();
    const id = String((forwards += 1));
    let answer;
    let outcome: Error | typeof NOT_FOUND | undefined;
    try {
      answer = await target.inject({
        method: request.method as 'GET' | 'HEAD',
        url: request.url,
        headers: { ...forwardedHeaders(request.headers), [FORWARD_ID]: id },
      });
    } finally {
      outcome = outcomes.get(id);
      outcomes.delete(id);
    }
    if (outcome === NOT_FOUND) {
      reply.callNotFound();
      return reply;
    }
    if (outcome !== undefined) throw outcome;
    reply.code(answer.statusCode);
    for (const [name, value] of Object.entries(answer.headers)) {
      if (value !== undefined && !NOT_COPIED.has(name)) reply.header(name, value);
    }
    // No payload at all when there is none (a 304, a HEAD): an empty Buffer would get a type.
    return answer.rawPayload.length === 0 ? reply.send() : reply.send(answer.rawPayload);
  };

  const close = async () => {
    closed = true;
    const built = await instance?.catch(() => undefined);
    await built?.close();
  };
  return { build, forward, close };
}

function forwardedHeaders(headers: IncomingHttpHeaders): Record<string, string | string[]> {
  const forwarded: Record<string, string | string[]> = {};
  for (const [name, value] of Object.entries(headers)) {
    if (value !== undefined && !NOT_FORWARDED.has(name)) forwarded[name] = value;
  }
  return forwarded;
}
