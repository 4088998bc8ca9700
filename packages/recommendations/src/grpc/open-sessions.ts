import type { Server } from '@grpc/grpc-js';
import type { EventEmitter } from 'node:events';
import { constants, type Http2Session } from 'node:http2';

/**
 * The HTTP/2 servers grpc-js bound for `server`: its private `http2Servers` (grpc-js 1.14), read
 * after binding. Undefined when an upgrade moved it; the callers say what is lost.
 */
export function http2ServersOf(server: Server): EventEmitter[] | undefined {
  const { http2Servers } = server as unknown as { http2Servers?: Map<EventEmitter, unknown> };
  return http2Servers instanceof Map ? [...http2Servers.keys()] : undefined;
}

/**
 * The connections open on `server`, so shutdown can cut them when the grace period ends.
 *
 * grpc-js' `forceShutdown()` destroys only the sessions in its channelz map, filled only with
 * channelz on; with `grpc.enable_channelz: 0` a stream still open at the end of the grace period
 * (a health Watch) kept the process alive (docs/benchmarks.md has the reproduction).
 */
export function trackSessions(server: Server): { destroyAll(): void } | undefined {
  const servers = http2ServersOf(server);
  if (servers === undefined) return undefined;
  const open = new Set<Http2Session>();
  for (const http2Server of servers) {
    http2Server.on('session', (session: Http2Session) => {
      open.add(session);
      session.once('close', () => open.delete(session));
    });
  }
  return {
    destroyAll() {
      for (const session of open) session.destroy(undefined, constants.NGHTTP2_CANCEL);
      open.clear();
    },
  };
}
