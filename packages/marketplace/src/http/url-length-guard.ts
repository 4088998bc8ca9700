import type { FastifyPluginAsync } from 'fastify';
import fp from 'fastify-plugin';

/** Longest request target accepted; longer gets 414. */
export const MAX_URL_LENGTH = 2048;

/**
 * 414 for a request target longer than MAX_URL_LENGTH: no page or API takes a URL this long.
 * Node itself answers 431 past 16 KiB of headers.
 */
export const urlLengthGuard = fp(
  async (app) => {
    app.addHook('onRequest', async (request, reply) => {
      if (request.url.length > MAX_URL_LENGTH) return reply.code(414).type('text/plain').send('URI Too Long');
    });
  },
  { name: 'url-length-guard' },
) satisfies FastifyPluginAsync;
