import fp from 'fastify-plugin';

/**
 * While shutting down (`isReady()` false), answers carry `Connection: close`, so keep-alive
 * clients let go and the server can finish closing before the grace period ends.
 */
export const draining = fp<{ isReady: () => boolean }>(
  async (app, options) => {
    app.addHook('onSend', async (_request, reply) => {
      if (!options.isReady()) reply.header('connection', 'close');
    });
  },
  { name: 'draining' },
);
