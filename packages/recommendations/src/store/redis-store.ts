import { hostname } from 'node:os';
import { type ClientContext, Redis, type RedisOptions, type Result } from 'ioredis';
import type { Logger } from 'pino';
import {
  type AppendResult,
  type CoView,
  DEFAULT_READ_MODEL_LIMITS,
  type EventStore,
  type ReadModelLimits,
  type RecentView,
  type StoredEvent,
} from './event-store';
import { parseReaderHistory } from './reader-history-reply';
import { APPEND_EVENTS, APPLY_ENTRY, DELETE_IDLE_CONSUMERS, READER_HISTORY, TRIM_ACKNOWLEDGED } from './redis-scripts';
import { checkLimits, clampLimit, DEFAULT_DEDUPE_TTL_MS } from './store-bounds';
import { EventStoreError } from './store-errors';

/** The consumer group that applies the log to the read models; every replica is a consumer of it. */
export const CONSUMER_GROUP = 'read-models';

export interface RedisStoreOptions {
  /** `redis://[user:password@]host:port[/db]` or `rediss://…` (TLS). Never logged. */
  readonly url: string;
  readonly limits?: ReadModelLimits;
  /** This process's consumer name in the group; `<hostname>-<pid>` by default, unique per process. */
  readonly consumerName?: string;
  readonly logger?: Logger;
  /** The first part of every key (`<namespace>:events`, …): `bookstore`; tests use one each. */
  readonly namespace?: string;
  /** How long an id is remembered for dedupe (store-bounds.ts says why an hour). */
  readonly dedupeTtlMs?: number;
  /**
   * Log entries (not yet trimmed) past which `append` rejects, so a log nobody applies cannot
   * take all of Valkey's memory. An entry is ~72 bytes (measured on redis 7.0): 500,000 are
   * ~36 MB, and at 100 events/s they are 80 minutes of no consumer applying anything. The
   * consumers trim applied entries every few seconds, so in operation the log holds seconds.
   */
  readonly maxBacklog?: number;
  /**
   * A reply later than this fails the call. A script on a batch of 500 events takes a few ms;
   * a store slower than 1 s is treated as down, so a RecordEvents batch fails fast (and is
   * resent, harmlessly) and a Recommend is not held up by history it can do without.
   */
  readonly commandTimeoutMs?: number;
  /**
   * How long one XREADGROUP waits for new entries (1 s): how long close() may wait for the
   * loop, and how late maintenance can run after it is due.
   */
  readonly blockMs?: number;
  /** Entries read (or claimed) at once and applied in one pipelined round trip (100). */
  readonly readCount?: number;
  /** How often a consumer claims stuck entries, trims the log and forgets dead consumers (5 s). */
  readonly maintenanceIntervalMs?: number;
  /**
   * Pending entries idle longer than this are claimed from their consumer (30 s): far longer
   * than a read-then-apply takes (one round trip), so only a dead or stuck consumer's entries
   * move, and a crashed replica's last events still reach the read models within a minute.
   */
  readonly claimIdleMs?: number;
  /** Consumers holding nothing and silent this long are deleted from the group (5 min). */
  readonly idleConsumerMs?: number;
  /** At most one warning per this long for each kind of failure (10 s), with the count of the rest. */
  readonly logEveryMs?: number;
  /** Called once per event this consumer applied (tests, metrics). */
  readonly onApplied?: (event: StoredEvent) => void;
}

/** Events per append script: the contract's largest batch; one script of 500 holds Valkey ~1-2 ms. */
const APPEND_CHUNK = 500;
/** XAUTOCLAIM rounds (of `readCount`) per maintenance, so one round never runs for long. */
const CLAIM_ROUNDS = 10;
/** The consumer's retry pause grows from 100 ms and stays at 2 s: a restarted Valkey is used within ~2 s. */
const RETRY_MAX_MS = 2000;
/**
 * How long READER_HISTORY's text copy of a co-views set lives once made. It bounds their memory: a
 * copy is ~0.3 KB, made only for books in the histories read within this window, and they share
 * a noeviction Valkey with the event log, so a minute, not longer: a reader's next pages within
 * it find their books' copies.
 */
const CO_VIEWS_TEXT_TTL_MS = 60 * 1000;

type Arg = string | number;
/**
 * The Lua scripts as commands (`defineCommand` below), typed the way ioredis documents: its
 * command interface augmented, on clients and pipelines alike.
 */
declare module 'ioredis' {
  interface RedisCommander<Context extends ClientContext> {
    bookstoreAppend(numKeys: number, ...keysAndArgs: Arg[]): Result<unknown, Context>;
    bookstoreApply(...keysAndArgs: Arg[]): Result<unknown, Context>;
    bookstoreTrim(stream: string, group: string): Result<unknown, Context>;
    bookstoreDeleteIdleConsumers(stream: string, group: string, idleMs: number, self: string): Result<unknown, Context>;
    bookstoreReaderHistory(
      views: string,
      maxViews: number,
      coViewsPerBook: number,
      prefix: string,
      textPrefix: string,
      textTtlMs: number,
    ): Result<unknown, Context>;
  }
}

interface LogEntry {
  readonly id: string;
  readonly fields: readonly string[];
}

/** At most one message per `everyMs`; counts the ones it held back. */
class LogThrottle {
  private nextAt = 0;
  private suppressed = 0;
  constructor(private readonly everyMs: number) {}
  /** How many were held back since the last one, or undefined when this one is held back too. */
  take(): number | undefined {
    const now = Date.now();
    if (now < this.nextAt) {
      this.suppressed++;
      return undefined;
    }
    const suppressed = this.suppressed;
    this.suppressed = 0;
    this.nextAt = now + this.everyMs;
    return suppressed;
  }
}

/** Resolves when `redis` is ready; rejects after `timeoutMs`, when it is closed for good, or on `stop`. */
function whenReady(redis: Redis, timeoutMs: number, stop: AbortSignal): Promise<void> {
  if (redis.status === 'ready') return Promise.resolve();
  const closedError = () => new EventStoreError('closed', 'event store closed');
  if (redis.status === 'end' || stop.aborted) return Promise.reject(closedError());
  return new Promise((resolve, reject) => {
    const done = (error?: Error) => {
      clearTimeout(timer);
      redis.off('ready', onReady);
      redis.off('end', onEnd);
      stop.removeEventListener('abort', onEnd);
      if (error === undefined) resolve();
      else reject(error);
    };
    const onReady = () => done();
    // ioredis emits no 'end' for a connection closed while it waited to reconnect: hence `stop`.
    const onEnd = () => done(closedError());
    const timer = setTimeout(
      () => done(new EventStoreError('unavailable', `event store unavailable: not connected after ${timeoutMs} ms`)),
      timeoutMs,
    );
    redis.once('ready', onReady);
    redis.once('end', onEnd);
    stop.addEventListener('abort', onEnd);
  });
}

function asStoreError(error: unknown): EventStoreError {
  if (error instanceof EventStoreError) return error;
  const message = error instanceof Error ? error.message : String(error);
  if (message.startsWith('BACKLOG'))
    return new EventStoreError('backlog-full', `event store backlog full: ${message}`, { cause: error });
  return new EventStoreError('unavailable', `event store unavailable: ${message}`, { cause: error });
}

/** The entries of an XREADGROUP reply (`[[stream, [[id, fields], …]]]`, or null when none came). */
function readReplyEntries(reply: unknown): LogEntry[] {
  if (!Array.isArray(reply)) return [];
  return reply.flatMap((stream: unknown) => (Array.isArray(stream) ? toEntries(stream[1]) : []));
}

/** The entries of an XAUTOCLAIM reply (`[cursor, [[id, fields] | null, …], deleted ids]`). */
function claimReply(reply: unknown): { cursor: string; entries: LogEntry[] } {
  if (!Array.isArray(reply)) return { cursor: '0-0', entries: [] };
  return { cursor: String(reply[0] ?? '0-0'), entries: toEntries(reply[1]) };
}

function toEntries(raw: unknown): LogEntry[] {
  if (!Array.isArray(raw)) return [];
  const entries: LogEntry[] = [];
  for (const item of raw) {
    // Redis 6.2 answers an entry trimmed while pending as [id, nil]; 7 leaves it out.
    if (Array.isArray(item) && typeof item[0] === 'string') {
      entries.push({ id: item[0], fields: Array.isArray(item[1]) ? item[1].map(String) : [] });
    }
  }
  return entries;
}

/** The event an entry holds, or undefined when it is not one APPEND_EVENTS wrote. */
/** A sorted set read WITHSCORES, `[member, score, member, score, …]`, as pairs of numbers. */
function scoredPairs(flat: readonly string[]): [number, number][] {
  const pairs: [number, number][] = [];
  for (let i = 0; i + 1 < flat.length; i += 2) pairs.push([Number(flat[i]), Number(flat[i + 1])]);
  return pairs;
}

/** A reader's views set (book -> viewed-at ms) as RecentViews. */
const viewsOf = (flat: readonly string[]): RecentView[] =>
  scoredPairs(flat).map(([bookId, viewedAtMs]) => ({ bookId, viewedAtMs }));

/** A book's co-views set (other book -> count) as CoViews. */
const coViewsOf = (flat: readonly string[]): CoView[] =>
  scoredPairs(flat).map(([bookId, count]) => ({ bookId, count }));

function toEvent(fields: readonly string[]): StoredEvent | undefined {
  const record = new Map<string, string>();
  for (let i = 0; i + 1 < fields.length; i += 2) record.set(fields[i]!, fields[i + 1]!);
  const integer = (name: string) => {
    const value = Number(record.get(name));
    return Number.isSafeInteger(value) ? value : undefined;
  };
  const eventId = record.get('id');
  const userId = integer('u');
  const bookId = integer('b');
  const kind = integer('k');
  const occurredAtMs = integer('t');
  if (!eventId || userId === undefined || bookId === undefined || kind === undefined || occurredAtMs === undefined)
    return undefined;
  return { eventId, userId, bookId, kind, occurredAtMs };
}

/**
 * The event store on Valkey/Redis, shared by every replica.
 *
 * - Log: the stream `<ns>:events`. `append` runs APPEND_EVENTS per batch: an event whose
 *   `<ns>:event-id:<id>` key is new (SET NX PX) is added (XADD), atomically; it resolves once
 *   the server ran it (durable as far as the server's own persistence goes: k8s runs Valkey
 *   with appendonly).
 * - Consumer: each replica reads new entries for the group `read-models` (XREADGROUP on a
 *   connection of its own, as it blocks) and applies each with APPLY_ENTRY, which acknowledges
 *   it in the same step: exactly once across consumers. Every 5 s it claims entries a dead
 *   consumer left pending (XAUTOCLAIM), trims acknowledged entries (TRIM_ACKNOWLEDGED) and
 *   forgets long-idle empty consumers.
 * - Read models: `<ns>:views:<user>` (book -> viewed-at ms, the newest `maxRecentViews`, expiring
 *   `recentViewsTtlMs` after the last view) and `<ns>:coviews:<book>` (book -> readers who viewed
 *   both, the top `maxCoViews`).
 * - Store down: calls reject at once (no offline queue) or after `commandTimeoutMs`, ioredis
 *   reconnects with backoff, the consumer retries with backoff and warns at most every 10 s.
 */
export function createRedisStore(options: RedisStoreOptions): EventStore {
  const limits = checkLimits(options.limits ?? DEFAULT_READ_MODEL_LIMITS);
  const logger = options.logger;
  const ns = options.namespace ?? 'bookstore';
  const consumer = options.consumerName ?? `${hostname()}-${process.pid}`;
  const dedupeTtlMs = options.dedupeTtlMs ?? DEFAULT_DEDUPE_TTL_MS;
  const maxBacklog = options.maxBacklog ?? 500_000;
  const commandTimeoutMs = options.commandTimeoutMs ?? 1000;
  const blockMs = options.blockMs ?? 1000;
  const readCount = options.readCount ?? 100;
  const maintenanceIntervalMs = options.maintenanceIntervalMs ?? 5000;
  const claimIdleMs = options.claimIdleMs ?? 30_000;
  const idleConsumerMs = options.idleConsumerMs ?? 5 * 60_000;
  const logEveryMs = options.logEveryMs ?? 10_000;

  const streamKey = `${ns}:events`;
  const dedupeKey = (eventId: string) => `${ns}:event-id:${eventId}`;
  const viewsKey = (userId: number) => `${ns}:views:${userId}`;
  const coViewsPrefix = `${ns}:coviews:`;
  const coViewsTextPrefix = `${ns}:coviews-text:`;

  const connection: RedisOptions = {
    // A call while disconnected fails at once instead of waiting in a queue for a reconnect.
    enableOfflineQueue: false,
    // A call in flight when the connection drops is retried on one reconnection at most (and
    // commandTimeout bounds it in any case).
    maxRetriesPerRequest: 1,
    connectTimeout: 2000,
    // Reconnects for ever, 50 ms doubling to at most 2 s apart.
    retryStrategy: (attempt) => Math.min(50 * 2 ** Math.min(attempt, 6), 2000),
    // disconnect() arms a timer of this length even for a socket already closed (while waiting
    // to reconnect), which would hold the process up 2 s (the default) after close().
    disconnectTimeout: 100,
  };
  // Auto-pipelining: the commands of one event-loop turn go to Valkey in one socket write (a
  // known reader's Recommend is one script call; 100+ of them in flight were 100+ writes).
  const client = new Redis(options.url, {
    ...connection,
    commandTimeout: commandTimeoutMs,
    enableAutoPipelining: true,
  });
  // XREADGROUP BLOCK holds its connection for up to blockMs, so it gets one of its own, made
  // only when the consumer starts; its timeout covers the block. A read lost with a dropped
  // connection is not resent: the loop reads again.
  const blocking = new Redis(options.url, {
    ...connection,
    commandTimeout: blockMs + commandTimeoutMs,
    autoResendUnfulfilledCommands: false,
    lazyConnect: true,
  });
  client.defineCommand('bookstoreAppend', { lua: APPEND_EVENTS });
  client.defineCommand('bookstoreApply', { numberOfKeys: 2, lua: APPLY_ENTRY });
  client.defineCommand('bookstoreTrim', { numberOfKeys: 1, lua: TRIM_ACKNOWLEDGED });
  client.defineCommand('bookstoreDeleteIdleConsumers', { numberOfKeys: 1, lua: DELETE_IDLE_CONSUMERS });
  client.defineCommand('bookstoreReaderHistory', { numberOfKeys: 1, lua: READER_HISTORY });

  const connectionLog = new LogThrottle(logEveryMs);
  const consumerLog = new LogThrottle(logEveryMs);
  const entryLog = new LogThrottle(logEveryMs);

  let everReady = false;
  let down = false;
  client.on('ready', () => {
    everReady = true;
    if (down) logger?.info('event store reconnected');
    down = false;
  });
  // Without a listener ioredis prints every connection error; these are logged, throttled.
  const onConnectionError = (error: Error) => {
    down = true;
    const suppressed = connectionLog.take();
    if (suppressed !== undefined)
      logger?.warn({ err: error, suppressed }, 'event store connection failed; reconnecting');
  };
  client.on('error', onConnectionError);
  blocking.on('error', onConnectionError);
  /** The blocking connection's id on the server, for CLIENT UNBLOCK at close (new on each reconnect). */
  let blockingId: number | undefined;
  blocking.on('close', () => (blockingId = undefined));

  let closed = false;
  let consuming = false;
  let onApplied = options.onApplied;
  let loop: Promise<void> | undefined;
  let closing: Promise<void> | undefined;
  /** Aborted by close(): ends every wait at once. */
  const stopping = new AbortController();

  /** Waits `ms`, or less when close() is called. */
  const pause = (ms: number) =>
    new Promise<void>((resolve) => {
      const done = () => {
        clearTimeout(timer);
        stopping.signal.removeEventListener('abort', done);
        resolve();
      };
      const timer = setTimeout(done, ms);
      stopping.signal.addEventListener('abort', done);
    });

  /** Throws unless the command connection can take a call now (at start-up: within the timeout). */
  const usable = async () => {
    if (closed) throw new EventStoreError('closed', 'event store closed');
    if (client.status === 'ready') return;
    if (everReady) throw new EventStoreError('unavailable', `event store unavailable (connection ${client.status})`);
    await whenReady(client, commandTimeoutMs, stopping.signal);
  };

  /** The `count` highest-scored members of a sorted set, with their scores (none for a count of 0). */
  const highestOf = async (key: string, count: number): Promise<string[]> => {
    await usable();
    if (count === 0) return [];
    try {
      return await client.zrevrange(key, 0, count - 1, 'WITHSCORES');
    } catch (error) {
      throw asStoreError(error);
    }
  };

  const applyEntries = async (entries: readonly LogEntry[]) => {
    if (entries.length === 0) return;
    const pipeline = client.pipeline();
    const events = entries.map(({ id, fields }) => {
      const event = toEvent(fields);
      if (event === undefined) {
        const suppressed = entryLog.take();
        if (suppressed !== undefined)
          logger?.warn({ entryId: id, suppressed }, 'event log entry is not an event; acknowledged unapplied');
      }
      // A malformed entry goes as kind 0: acknowledged, applied to nothing.
      pipeline.bookstoreApply(
        streamKey,
        viewsKey(event?.userId ?? 0),
        CONSUMER_GROUP,
        id,
        event?.bookId ?? 0,
        event?.occurredAtMs ?? 0,
        event?.kind ?? 0,
        limits.maxRecentViews,
        limits.recentViewsTtlMs,
        limits.maxCoViews,
        coViewsPrefix,
        coViewsTextPrefix,
      );
      return event;
    });
    const results = (await pipeline.exec()) ?? [];
    let failure: Error | undefined;
    results.forEach(([error, applied], index) => {
      if (error !== null) failure ??= error;
      else if (applied === 1 && events[index] !== undefined) onApplied?.(events[index]);
    });
    // Entries that failed stay pending: claimed again (by any consumer) after claimIdleMs.
    if (failure !== undefined) throw failure;
  };

  const ensureGroup = async () => {
    try {
      // From the start of the stream, so entries appended before any consumer ran are applied.
      // (Were the group deleted by hand, the acknowledged entries not yet trimmed, seconds'
      // worth, would be applied again: re-views, which change nearly nothing.)
      await client.xgroup('CREATE', streamKey, CONSUMER_GROUP, '0', 'MKSTREAM');
    } catch (error) {
      if (!(error instanceof Error && error.message.startsWith('BUSYGROUP'))) throw error;
    }
  };

  const maintain = async () => {
    let cursor = '0-0';
    for (let round = 0; round < CLAIM_ROUNDS; round++) {
      const claimed = claimReply(
        await client.xautoclaim(streamKey, CONSUMER_GROUP, consumer, claimIdleMs, cursor, 'COUNT', readCount),
      );
      if (claimed.entries.length > 0) {
        logger?.info(
          { entries: claimed.entries.length },
          'event store consumer claimed entries another consumer left pending',
        );
        await applyEntries(claimed.entries);
      }
      cursor = claimed.cursor;
      if (cursor === '0-0') break;
    }
    await client.bookstoreTrim(streamKey, CONSUMER_GROUP);
    await client.bookstoreDeleteIdleConsumers(streamKey, CONSUMER_GROUP, idleConsumerMs, consumer);
  };

  const consume = async () => {
    let failures = 0;
    let groupReady = false;
    let maintainAt = 0;
    while (consuming) {
      try {
        await whenReady(blocking, blockMs + commandTimeoutMs, stopping.signal);
        await whenReady(client, commandTimeoutMs, stopping.signal);
        blockingId ??= Number(await blocking.client('ID'));
        if (!groupReady) {
          await ensureGroup();
          groupReady = true;
        }
        // close() may have come while this waited: no new read then.
        if (!consuming) break;
        const reply = await blocking.xreadgroup(
          'GROUP',
          CONSUMER_GROUP,
          consumer,
          'COUNT',
          readCount,
          'BLOCK',
          blockMs,
          'STREAMS',
          streamKey,
          '>',
        );
        await applyEntries(readReplyEntries(reply));
        if (consuming && Date.now() >= maintainAt) {
          await maintain();
          maintainAt = Date.now() + maintenanceIntervalMs;
        }
        if (failures > 0) logger?.info({ failures }, 'event store consumer resumed');
        failures = 0;
      } catch (error) {
        if (!consuming) break;
        // The group is gone (a Valkey restarted without persistence, a FLUSHALL): made again.
        if (error instanceof Error && error.message.startsWith('NOGROUP')) groupReady = false;
        failures++;
        const suppressed = consumerLog.take();
        if (suppressed !== undefined)
          logger?.warn({ err: error, failures, suppressed }, 'event store consumer failed; retrying');
        await pause(Math.min(100 * 2 ** Math.min(failures - 1, 5), RETRY_MAX_MS));
      }
    }
  };

  const quit = async (redis: Redis) => {
    if (redis.status === 'end') return;
    if (redis.status !== 'ready') {
      redis.disconnect();
      return;
    }
    try {
      await redis.quit();
    } catch {
      redis.disconnect();
    }
  };

  return {
    async append(events): Promise<AppendResult> {
      await usable();
      const appended: string[] = [];
      const duplicates: string[] = [];
      // Chunks are stored one after the other: when a later one fails the call rejects, and a
      // resend of the whole batch finds the earlier ones as duplicates.
      for (let start = 0; start < events.length; start += APPEND_CHUNK) {
        const chunk = events.slice(start, start + APPEND_CHUNK);
        const keys = [streamKey, ...chunk.map((event) => dedupeKey(event.eventId))];
        const args = chunk.flatMap((event) => [
          event.eventId,
          event.userId,
          event.bookId,
          event.kind,
          event.occurredAtMs,
        ]);
        let reply: unknown;
        try {
          reply = await client.bookstoreAppend(keys.length, ...keys, dedupeTtlMs, maxBacklog, ...args);
        } catch (error) {
          throw asStoreError(error);
        }
        const fresh = new Set(Array.isArray(reply) ? reply.map(Number) : []);
        chunk.forEach((event, index) => (fresh.has(index + 1) ? appended : duplicates).push(event.eventId));
      }
      return { appended, duplicates };
    },

    async recentViews(userId, limit) {
      return viewsOf(await highestOf(viewsKey(userId), clampLimit(limit, limits.maxRecentViews)));
    },

    async readerHistory(userId, maxViews, coViewsPerBook) {
      const viewCount = clampLimit(maxViews, limits.maxRecentViews);
      const coViewCount = clampLimit(coViewsPerBook, limits.maxCoViews);
      await usable();
      if (viewCount === 0) return { views: [], coViews: [] };
      let reply: unknown;
      try {
        reply = await client.bookstoreReaderHistory(
          viewsKey(userId),
          viewCount,
          coViewCount,
          coViewsPrefix,
          coViewsTextPrefix,
          CO_VIEWS_TEXT_TTL_MS,
        );
      } catch (error) {
        throw asStoreError(error);
      }
      return parseReaderHistory(String(reply));
    },

    async coViewed(bookId, limit) {
      return coViewsOf(await highestOf(`${coViewsPrefix}${bookId}`, clampLimit(limit, limits.maxCoViews)));
    },

    startConsumer(whenApplied) {
      if (closed || consuming) return;
      consuming = true;
      onApplied = whenApplied ?? options.onApplied;
      // Its failure is retried by the loop (ioredis keeps reconnecting); nothing to handle here.
      blocking.connect().catch(() => undefined);
      loop = consume().catch((error: unknown) => {
        logger?.error({ err: error }, 'event store consumer stopped');
      });
    },

    close() {
      closing ??= (async () => {
        closed = true;
        consuming = false;
        stopping.abort();
        if (loop !== undefined) {
          // The server ends the loop's blocked read at once (as if it timed out: entries it
          // was sending are still received and applied); else the loop ends after its current
          // read (at most blockMs) and apply. A read stuck on a dead server is cut off: entries
          // it read but could not apply are claimed by another consumer after claimIdleMs.
          if (blockingId !== undefined && client.status === 'ready') {
            await client.client('UNBLOCK', blockingId).catch(() => undefined);
          }
          let timer: NodeJS.Timeout | undefined;
          const finished = await Promise.race([
            loop.then(() => true),
            new Promise<boolean>((resolve) => (timer = setTimeout(() => resolve(false), blockMs + commandTimeoutMs))),
          ]);
          clearTimeout(timer);
          if (!finished) blocking.disconnect();
          await loop;
        }
        await Promise.all([quit(client), quit(blocking)]);
      })();
      return closing;
    },
  };
}
