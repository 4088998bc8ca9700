import { freePort } from '@bookstore/test-support';
import pino from 'pino';
import { createEventStore } from '../../src/store/create-store';
import { view } from './support';

const logger = pino({ level: 'silent' });

describe('createEventStore', () => {
  it('makes the embedded store when no URL is set', async () => {
    const store = createEventStore({ url: undefined, logger });
    try {
      store.startConsumer();
      expect((await store.append([view(1, 1)])).appended).toHaveLength(1);
    } finally {
      await store.close();
    }
  });

  it.each(['redis', 'rediss', 'REDIS'])('makes the Valkey/Redis store for a %s:// URL', async (scheme) => {
    const port = await freePort();
    const store = createEventStore({
      url: `${scheme}://127.0.0.1:${port}`,
      limits: { maxRecentViews: 5, recentViewsTtlMs: 1000, maxCoViews: 5 },
      logger,
    });
    try {
      // Nothing listens there: the Redis store says so; the embedded one would not.
      await expect(store.append([view(1, 1)])).rejects.toThrow(/event store unavailable/);
    } finally {
      await store.close();
    }
  });

  it.each(['', 'localhost:6379', 'http://localhost:6379', 'memcached://user:secret@cache:11211', 'redis:/nohost'])(
    'refuses %j, naming only its scheme',
    (url) => {
      expect(() => createEventStore({ url, logger })).toThrow(/must start with redis:\/\/ or rediss:\/\//);
      expect(() => createEventStore({ url, logger })).not.toThrow(/secret/);
    },
  );
});
