import type { Server } from '@grpc/grpc-js';
import { constants, type Http2Session } from 'node:http2';
import { http2ServersOf } from './grpc-internals';

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
