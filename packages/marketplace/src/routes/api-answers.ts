import type { FastifyReply } from 'fastify';

/** Seconds a client should wait before retrying when Recommendations is unavailable. */
export const RETRY_AFTER_S = 5;

/** 503 with Retry-After: Recommendations is unavailable (the client has logged why). */
export function unavailable(reply: FastifyReply) {
  return reply
    .code(503)
    .header('retry-after', String(RETRY_AFTER_S))
    .send({ statusCode: 503, error: 'Service Unavailable', message: 'Recommendations are unavailable; retry later.' });
}
