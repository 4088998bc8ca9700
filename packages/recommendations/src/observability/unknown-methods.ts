import type { MethodLabels } from '@bookstore/service-kit';
import { type Server, status as Status } from '@grpc/grpc-js';
import type { EventEmitter } from 'node:events';
import type { Logger } from 'pino';
import type { ServerMetrics } from './server-metrics';

/** The parts of a grpc-js 1.14 Server this reads: its HTTP/2 servers and its method handlers. */
interface ServerInternals {
  http2Servers?: Map<EventEmitter, unknown>;
  handlers?: Map<string, unknown>;
}

/**
 * grpc-js answers a call to an unknown method `UNIMPLEMENTED` itself, before any interceptor, so
 * the interceptor's metrics never saw it: a client probing paths was invisible. This counts those
 * calls in `grpc_server_started_total` and `grpc_server_handled_total` with every label
 * `unknown` (the path is the client's choice: as a label it would be unbounded) and code
 * `Unimplemented`. Only gRPC streams (`content-type: application/grpc*`) count.
 *
 * It listens to the HTTP/2 servers grpc-js bound and looks the path up in grpc-js' handler map,
 * its private fields: call after binding. When an upgrade moves them it logs a warning (and the
 * metrics test for UNIMPLEMENTED fails) instead of stopping the service.
 */
export function countUnknownMethods(server: Server, metrics: ServerMetrics, logger: Logger): void {
  const { http2Servers, handlers } = server as unknown as ServerInternals;
  if (!(http2Servers instanceof Map) || !(handlers instanceof Map)) {
    logger.warn('grpc-js internals moved: calls to unknown methods are not counted');
    return;
  }
  // The type is unknown too (no method, no streaming flags); GrpcType lists only real ones.
  const labels = { grpc_type: 'unknown' as MethodLabels['grpc_type'], grpc_service: 'unknown', grpc_method: 'unknown' };
  const unknown = metrics.forMethod(labels);
  for (const http2Server of http2Servers.keys()) {
    http2Server.on('stream', (_stream: unknown, headers: Record<string, unknown>) => {
      // grpc-js answers a stream of any other content type 415 before looking at the path, as
      // it does here: not a gRPC call, so not counted (a scanner's plain HTTP/2 GET is not one).
      const contentType = headers['content-type'];
      if (typeof contentType !== 'string' || !contentType.startsWith('application/grpc')) return;
      if (handlers.has(headers[':path'] as string)) return;
      unknown.started();
      unknown.handled(Status.UNIMPLEMENTED, 0);
    });
  }
}
