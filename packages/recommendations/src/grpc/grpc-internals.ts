import type { Server } from '@grpc/grpc-js';
import type { Http2Session, ServerHttp2Stream } from 'node:http2';
import type { Server as NetServer } from 'node:net';

/**
 * Every grpc-js private this package reads, and only here (issue 26). Read against grpc-js
 * 1.14.7; test/grpc/grpc-internals.test.ts fails when an upgrade moves any of them. grpc-js has
 * no public API for what these give:
 *
 * - the HTTP/2 servers it bound: the connection cap (connection-cap.ts), cutting the sessions
 *   left at shutdown (open-sessions.ts), and seeing the calls grpc-js answers itself, below the
 *   interceptors and handlers (unknown methods, passed deadlines, malformed messages:
 *   call-observer.ts);
 * - the HTTP/2 stream under a call: the one link from a handler or interceptor to what the
 *   observer saw of its stream, and the connection the caller's identity is cached on.
 */

/**
 * The HTTP/2 servers grpc-js bound for `server` (its private `http2Servers` map's keys), read
 * after binding. Undefined when an upgrade moved it; the callers say what is lost.
 */
export function http2ServersOf(server: Server): NetServer[] | undefined {
  const { http2Servers } = server as unknown as { http2Servers?: Map<NetServer, unknown> };
  return http2Servers instanceof Map ? [...http2Servers.keys()] : undefined;
}

type CallLayer = { stream?: ServerHttp2Stream; nextCall?: unknown; call?: unknown } | null | undefined;

/**
 * The HTTP/2 stream under a grpc-js call: the innermost call's private `stream`, reached through
 * the handler's call object (`call`) and any interceptors (`nextCall`).
 */
export function streamOf(call: unknown): ServerHttp2Stream | undefined {
  let current = call as CallLayer;
  for (let depth = 0; depth < 32 && current !== undefined && current !== null; depth += 1) {
    if (current.stream !== undefined) return current.stream;
    current = (current.nextCall ?? current.call) as CallLayer;
  }
  return undefined;
}

/** The HTTP/2 session (connection) under a grpc-js call. */
export function sessionOf(call: unknown): Http2Session | undefined {
  return streamOf(call)?.session;
}
