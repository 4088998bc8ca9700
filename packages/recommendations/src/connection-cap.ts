import type { Server } from '@grpc/grpc-js';
import type { ServerHttp2Session, ServerHttp2Stream } from 'node:http2';
import type { Logger } from 'pino';
import { http2ServersOf } from './grpc/grpc-internals';

/**
 * Connections with a call in the last second are never closed as idle; a call open longer than
 * that is one no client of this service holds for its work (a `Recommend` takes ~1 ms, the
 * Marketplace's deadline is 300 ms), so it counts against its connection when room is needed.
 */
const RECENT_MS = 1000;
/** Busy connections are closed to make room at most this often, a tenth of the cap each time. */
const BUSY_CLOSE_INTERVAL_MS = 1000;

interface ConnectionState {
  lastActive: number;
  /** Start time of each call in progress. */
  readonly calls: Map<ServerHttp2Stream, number>;
}

/** How many of a connection's calls have been open longer than RECENT_MS, and since when the oldest. */
function stalledCalls(state: ConnectionState, before: number): { count: number; oldest: number } {
  let count = 0;
  let oldest = Number.POSITIVE_INFINITY;
  for (const started of state.calls.values()) {
    if (started >= before) continue;
    count += 1;
    oldest = Math.min(oldest, started);
  }
  return { count, oldest };
}

/**
 * The connections to close when the cap drops one: those that have gone longest without a call
 * (none in progress, none in the last second, so the newest are spared too). When there are none,
 * every connection holds calls: then those holding the most calls open for over a second, the
 * oldest calls first (issue 25: 210 connections of 16 calls that never end locked every new
 * client out, the Marketplace after its MAX_CONNECTION_AGE_MS and the kubelet's probes included).
 * A Marketplace's connection, whose calls end within ms, is the last to go; one with a single
 * long call (a health `Watch`, an import) goes after every connection holding more.
 */
function connectionsToClose(
  open: Map<ServerHttp2Session, ConnectionState>,
  count: number,
  allowBusy: boolean,
): { sessions: ServerHttp2Session[]; busy: boolean } {
  const quietSince = Date.now() - RECENT_MS;
  const idle = [...open].filter(([, state]) => state.calls.size === 0 && state.lastActive < quietSince);
  if (idle.length > 0 || !allowBusy) {
    idle.sort(([, a], [, b]) => a.lastActive - b.lastActive);
    return { sessions: idle.slice(0, count).map(([session]) => session), busy: false };
  }
  const busy = [...open]
    .map(([session, state]) => ({ session, ...stalledCalls(state, quietSince) }))
    .filter((connection) => connection.count > 0);
  busy.sort((a, b) => b.count - a.count || a.oldest - b.oldest);
  return { sessions: busy.slice(0, count).map((connection) => connection.session), busy: true };
}

/**
 * At most `maxConnections` connections on each port grpc-js bound (Node's `maxConnections`
 * closes further ones on accept). grpc-js has no such option, and each idle HTTP/2 connection
 * costs the process memory it keeps after the client leaves: rounds of 5,000 idle connections
 * took RSS 80 → 197 → 291 MB (issue 18).
 *
 * When the cap drops a connection, a tenth of the cap at most is closed (connectionsToClose
 * says which) so the client whose connection was dropped gets in on its retry. Closing sends
 * GOAWAY and cancels the calls left. Call after binding; reads grpc-js' private `http2Servers`
 * (grpc-internals.ts) and warns when an upgrade moves it; test/grpc/grpc-internals.test.ts fails.
 */
export function capConnections(server: Server, maxConnections: number, logger: Logger): void {
  const bound = http2ServersOf(server);
  if (bound === undefined) {
    logger.warn('grpc-js internals moved: connections are not capped');
    return;
  }
  for (const http2Server of bound) {
    http2Server.maxConnections = maxConnections;
    const open = new Map<ServerHttp2Session, ConnectionState>();
    let lastBusyClose = 0;
    http2Server.on('session', (session: ServerHttp2Session) => {
      const state: ConnectionState = { lastActive: Date.now(), calls: new Map() };
      open.set(session, state);
      session.once('close', () => open.delete(session));
      session.on('stream', (stream: ServerHttp2Stream) => {
        state.calls.set(stream, Date.now());
        state.lastActive = Date.now();
        stream.once('close', () => {
          state.calls.delete(stream);
          state.lastActive = Date.now();
        });
      });
    });
    http2Server.on('drop', () => {
      // Every dropped connection asks; busy ones are closed once a second at most, which bounds
      // the calls a flood of reconnects can have cut, and this log line.
      const allowBusy = Date.now() - lastBusyClose >= BUSY_CLOSE_INTERVAL_MS;
      const { sessions, busy } = connectionsToClose(open, Math.ceil(maxConnections / 10), allowBusy);
      if (busy && sessions.length > 0) {
        lastBusyClose = Date.now();
        logger.warn({ closed: sessions.length }, 'connection cap full of busy connections: closed the most stalled');
      }
      for (const session of sessions) {
        open.delete(session);
        session.destroy();
      }
    });
  }
}
