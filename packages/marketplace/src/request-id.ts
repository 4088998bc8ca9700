import { randomUUID } from 'node:crypto';
import fp from 'fastify-plugin';
import type { IncomingMessage } from 'node:http';

/** Incoming ids are reused only when they look like ids: short, and safe to log and echo. */
const ACCEPTABLE_ID = /^[\w.:-]{1,128}$/;

/** fastify's genReqId: the caller's `x-request-id` when acceptable, otherwise a new UUID. */
export function requestIdFrom(request: IncomingMessage): string {
  const incoming = request.headers['x-request-id'];
  return typeof incoming === 'string' && ACCEPTABLE_ID.test(incoming) ? incoming : randomUUID();
}

/** Echoes the request id on every answer as `x-request-id`, so a user can quote it. */
export const requestIdHeader = fp(
  async (app) => {
    app.addHook('onSend', async (request, reply) => {
      reply.header('x-request-id', request.id);
    });
  },
  { name: 'request-id-header' },
);
