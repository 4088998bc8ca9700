import { flushOnShutdown } from '../../src/reader-events/flush-on-shutdown';
import { startFakeRecommendations } from '../support/fake-recommendations';
import { buildTestApp } from '../support/test-app';

describe('reader events at shutdown (what main does on SIGTERM after the HTTP server closed)', () => {
  it.each([
    ['acknowledged: sends what pages recorded before the server closed, and says so', 'answer', 0],
    ['not acknowledged: gives up at the end of the grace period and logs how many are left', 'hold', 2],
  ] as const)('%s', async (_name, action, left) => {
    const server = await startFakeRecommendations();
    server.events.onBatch = () => action;
    const t = await buildTestApp({ address: server.address });
    try {
      for (const id of [101, 102]) {
        expect((await t.app.inject({ url: `/books/${id}`, cookies: { uid: '31' } })).statusCode).toBe(200);
      }
      await t.app.close();
      const logger = { info: jest.fn(), warn: jest.fn() };
      expect(await flushOnShutdown({ readerEvents: t.readerEvents, logger, deadline: Date.now() + 1_000 })).toBe(left);
      if (left === 0) {
        expect(server.events.stored.map((e) => [e.userId, e.bookId])).toEqual([
          [31, 101],
          [31, 102],
        ]);
        expect(logger.info).toHaveBeenCalledWith('reader events flushed');
      } else {
        expect(logger.warn).toHaveBeenCalledWith({ left }, expect.stringContaining('lost'));
      }
    } finally {
      await t.close();
      await server.stop();
    }
  });
});
