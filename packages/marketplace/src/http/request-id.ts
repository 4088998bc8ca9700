import { REQUEST_ID_HEADER, requestIdOrNew } from '@bookstore/service-kit';
import fp from 'fastify-plugin';
import type { IncomingMessage } from 'node:http';

/** fastify's genReqId: the caller's `x-request-id` when acceptable, otherwise a new UUID. */
export function requestIdFrom(request: IncomingMessage): string {
  return requestIdOrNew(request.headers[REQUEST_ID_HEADER]);
}

/** Echoes the request id on every answer as `x-request-id`, so a user can quote it. */
export const requestIdHeader = fp(
  async (app) => {
    app.addHook('onSend', async (request, reply) => {
      reply.header(REQUEST_ID_HEADER, request.id);
    });
  },
  { name: 'request-id-header' },
);
