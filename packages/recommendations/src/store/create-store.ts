import type { Logger } from 'pino';
import { createEmbeddedStore } from './embedded-store';
import type { EventStore, ReadModelLimits } from './event-store';
import type * as RedisStoreModule from './redis-store';

export interface CreateEventStoreOptions {
  /** `STORE_URL`: unset for the embedded store, `redis://…` or `rediss://…` for Valkey/Redis. */
  readonly url: string | undefined;
  readonly limits?: ReadModelLimits;
  readonly logger: Logger;
  /** Valkey: how long an event read by a consumer stays unapplied before another claims it. */
  readonly claimIdleMs?: number;
}

/**
 * The store `STORE_URL` names: embedded (this process's memory) when unset, Valkey/Redis for a
 * `redis://` or `rediss://` URL; anything else throws. The error names only the scheme: a URL
 * may carry a password.
 */
export function createEventStore({ url, limits, logger, claimIdleMs }: CreateEventStoreOptions): EventStore {
  if (url === undefined) return createEmbeddedStore({ limits });
  if (/^rediss?:\/\//i.test(url)) {
    // Loaded only for a Valkey/Redis URL: ioredis adds about 19 MB of RSS to a process that
    // never uses it (the embedded store of make run and most tests).
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const { createRedisStore } = require('./redis-store') as typeof RedisStoreModule;
    return createRedisStore({ url, limits, claimIdleMs, logger: logger.child({ component: 'event-store' }) });
  }
  const scheme = /^([a-z][a-z0-9+.-]*):/i.exec(url)?.[1]?.toLowerCase();
  throw new Error(
    `the event store URL must start with redis:// or rediss:// (got ${scheme === undefined ? 'no scheme' : `${scheme}:`}); leave it unset for the embedded store`,
  );
}
