import type { Server } from '@grpc/grpc-js';
import type { ServerHttp2Session, ServerHttp2Stream } from 'node:http2';
import type { Server as NetServer } from 'node:net';
import type { Logger } from 'pino';

/** The part of a grpc-js 1.14 Server this reads: the HTTP/2 servers it bound. */
interface ServerInternals {
  http2Servers?: Map<NetServer, unknown>;
}

/** Connections with a call in the last second are never closed to make room. */
const RECENT_MS = 1000;

/**
 * At most `maxConnections` connections on each port grpc-js bound (Node's `maxConnections`
 * closes further ones on accept). grpc-js has no such option, and each idle HTTP/2 connection
 * costs the process memory it keeps after the client leaves: rounds of 5,000 idle connections
 * took RSS 80 → 197 → 291 MB (issue 18).
 *
 * When the cap drops a connection, the connections that have gone longest without a call (none
 * in progress, none in the last second, the newest connections spared too) are closed, a tenth
 * of the cap at most: otherwise an attacker holding the cap with idle connections would lock out
 * the marketplace's reconnects (every `MAX_CONNECTION_AGE_MS`) until keepalive noticed, and a
 * marketplace's busy connection is the last to go. The client whose connection was dropped gets
 * in on its retry. Call after binding; reads grpc-js' private `http2Servers` and warns when an
 * upgrade moves it.
 */
export function capConnections(server: Server, maxConnections: number, logger: Logger): void {
  const { http2Servers } = server as unknown as ServerInternals;
  if (!(http2Servers instanceof Map)) {
    logger.warn('grpc-js internals moved: connections are not capped');
    return;
  }
  for (const http2Server of http2Servers.keys()) {
    http2Server.maxConnections = maxConnections;
    const open = new Map<ServerHttp2Session, { lastActive: number; calls: number }>();
    http2Server.on('session', (session: ServerHttp2Session) => {
      const state = { lastActive: Date.now(), calls: 0 };
      open.set(session, state);
      session.once('close', () => open.delete(session));
      session.on('stream', (stream: ServerHttp2Stream) => {
        state.calls += 1;
        state.lastActive = Date.now();
        stream.once('close', () => {
          state.calls -= 1;
          state.lastActive = Date.now();
        });
      });
    });
    http2Server.on('drop', () => {
      const quietSince = Date.now() - RECENT_MS;
      const idle = [...open].filter(([, state]) => state.calls === 0 && state.lastActive < quietSince);
      idle.sort(([, a], [, b]) => a.lastActive - b.lastActive);
      for (const [session] of idle.slice(0, Math.ceil(maxConnections / 10))) {
        open.delete(session);
        session.destroy();
      }
    });
  }
}
