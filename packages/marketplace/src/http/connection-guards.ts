import type { FastifyHttpOptions, FastifyInstance } from 'fastify';
import type { Server } from 'node:http';
import type { Socket } from 'node:net';
import type { Logger } from 'pino';
import type { Counter } from 'prom-client';
import type { HttpLimits } from './limits';
import { recordQueueTime } from '../observability/service-time';
import { createThrottledLog } from '../observability/throttled-log';

/** fastify's and Node's server options for the limits: timeouts and the body backstop. */
export function serverOptions(limits: HttpLimits): FastifyHttpOptions<Server> {
  return {
    connectionTimeout: limits.idleTimeoutMs,
    keepAliveTimeout: limits.keepAliveTimeoutMs,
    requestTimeout: limits.requestTimeoutMs,
    bodyLimit: limits.bodyLimitBytes,
    http: {
      headersTimeout: limits.headersTimeoutMs,
      connectionsCheckingInterval: limits.timeoutCheckIntervalMs,
    },
  };
}

/** Requests of one connection: whether one is being answered, and those waiting their turn. */
interface Turns {
  busy: boolean;
  readonly waiting: (() => void)[];
}

const declaresBody = (headers: Record<string, unknown>) =>
  headers['transfer-encoding'] !== undefined || Number(headers['content-length'] ?? 0) > 0;

/**
 * The connection-level guards, as `onRequest` hooks (register them right after the security
 * headers, so their answers carry those too):
 *
 * - **One request at a time per connection.** Node parses a burst of pipelined requests at once
 *   and fastify would run them all together, each buffering its response until the client
 *   reads (40 connections × 20 pipelined 1.6 MB Swagger UI bundles: RSS 99 → 259 MB). Here a
 *   pipelined request waits until the previous response is done; past `maxPipelinedRequests`
 *   waiting, the connection is closed. The wait is recorded (observability/service-time.ts):
 *   the latency metric and the access log leave it out, since the client chose to queue.
 * - **No bodies.** A request declaring one is answered 413 with `Connection: close` before any
 *   byte of it is read; Node discards the rest without buffering it.
 * - **A cap on connections** (`server.maxConnections`): Node closes further ones on accept. When
 *   that happens, the oldest connections open over a second that are idle (no request being
 *   answered) or stalled (the client is not reading its answer) are closed, a tenth of the cap
 *   at most: otherwise 1,000 silent sockets would lock every user out until the timeouts, and
 *   an attacker need only reopen them (Envoy's overload manager shortens idle timeouts under
 *   pressure in the same spirit). The user whose connection was dropped gets in on a retry.
 *
 * Every connection closed so is counted in `cut` by reason (CUT_REASONS) and logged at most once
 * a minute per reason, with the count since the last line: a client decides how often it
 * happens, so the log must not grow with it.
 */
export function registerConnectionGuards(
  app: FastifyInstance,
  limits: HttpLimits,
  observe: { cut?: Counter<'reason'>; log: Pick<Logger, 'warn'> },
): void {
  const cutConnection = connectionCutRecorder(observe);
  const turns = new WeakMap<Socket, Turns>();
  app.server.maxConnections = limits.maxConnections;
  const opened = new Map<Socket, number>(); // insertion order: oldest first
  app.server.on('connection', (socket: Socket) => {
    opened.set(socket, Date.now());
    socket.once('close', () => opened.delete(socket));
  });
  app.server.on('drop', () => {
    cutConnection('cap_refused');
    const openedBefore = Date.now() - 1000;
    let closing = Math.ceil(limits.maxConnections / 10);
    for (const [socket, at] of opened) {
      if (at > openedBefore || closing === 0) break;
      const busy = turns.get(socket)?.busy === true;
      if (busy && !socket.writableNeedDrain) continue;
      opened.delete(socket);
      socket.destroy();
      cutConnection(busy ? 'cap_stalled' : 'cap_idle');
      closing -= 1;
    }
  });

  app.addHook('onRequest', (request, reply, done) => {
    const socket = request.raw.socket;
    let state = turns.get(socket);
    if (state === undefined) {
      state = { busy: false, waiting: [] };
      turns.set(socket, state);
    }
    const own = state;
    const begin = () => {
      own.busy = true;
      reply.raw.once('close', () => {
        own.busy = false;
        // A dead socket has nobody left to answer: drop every waiting request, not just the next.
        if (socket.destroyed) own.waiting.length = 0;
        else own.waiting.shift()?.();
      });
      done();
    };
    if (!own.busy) return begin();
    if (own.waiting.length >= limits.maxPipelinedRequests) {
      // The rest of the burst, already parsed, arrives here too: one cut, counted once.
      if (!socket.destroyed) cutConnection('pipelining');
      socket.destroy();
      return;
    }
    const arrived = performance.now();
    own.waiting.push(() => {
      recordQueueTime(request, performance.now() - arrived);
      begin();
    });
  });

  app.addHook('onRequest', (request, reply, done) => {
    if (!declaresBody(request.headers)) return done();
    // Closed as soon as the answer is out: reading (and discarding) the rest would still cost
    // the process a megabyte of buffers per such client.
    reply.raw.once('finish', () => request.raw.socket.destroy());
    void reply.code(413).header('connection', 'close').type('text/plain').send('No page takes a request body');
  });
}

/**
 * Why a connection was closed under its client: `pipelining` (more than maxPipelinedRequests
 * waiting), `cap_refused` (a new one past HTTP_MAX_CONNECTIONS, closed by Node on accept), and
 * the older ones closed to make room: `cap_idle`, or `cap_stalled` (its client was not reading
 * a response, which is cut).
 */
export const CUT_REASONS = ['pipelining', 'cap_refused', 'cap_idle', 'cap_stalled'] as const;
type CutReason = (typeof CUT_REASONS)[number];

/** How often each reason may be logged. */
export const CUT_LOG_INTERVAL_MS = 60_000;

function connectionCutRecorder(observe: { cut?: Counter<'reason'>; log: Pick<Logger, 'warn'> }) {
  const logs = new Map(
    CUT_REASONS.map((reason) => {
      observe.cut?.inc({ reason }, 0);
      const write = (connections: number) =>
        observe.log.warn({ reason, connections }, 'connections closed under their clients (HTTP limits)');
      return [reason, createThrottledLog({ intervalMs: CUT_LOG_INTERVAL_MS, write })];
    }),
  );
  return (reason: CutReason) => {
    observe.cut?.inc({ reason });
    logs.get(reason)?.();
  };
}
