import { ServerInterceptingCall, status as Status, type ServerInterceptor } from '@grpc/grpc-js';
import type { Logger } from 'pino';
import { trackCallEnd } from './call-end';
import { REQUEST_ID_KEY } from './request-id';

/** Codes that mean the caller asked for something wrong: a warning, not an alert. */
const CLIENT_ERRORS = new Set<Status>([
  Status.INVALID_ARGUMENT,
  Status.NOT_FOUND,
  Status.ALREADY_EXISTS,
  Status.FAILED_PRECONDITION,
  Status.OUT_OF_RANGE,
  Status.RESOURCE_EXHAUSTED,
  Status.UNAUTHENTICATED,
  Status.PERMISSION_DENIED,
  Status.UNIMPLEMENTED,
]);

function levelFor(code: Status): 'info' | 'warn' | 'error' {
  if (code === Status.OK || code === Status.CANCELLED) return 'info';
  return CLIENT_ERRORS.has(code) ? 'warn' : 'error';
}

/**
 * One JSON line per RPC when it ends: method, status code name, duration, peer and request id.
 * At debug level the request metadata is added (the logger redacts credentials in it).
 * Unexpected errors were already logged with their stack by the handler adapter; this line
 * only records that the call ended with INTERNAL.
 */
export function createAccessLogInterceptor(logger: Logger): ServerInterceptor {
  return (method, call) => {
    const started = performance.now();
    let requestId: unknown;
    let metadata: Record<string, unknown> | undefined;
    const end = trackCallEnd(call, (code) => {
      const durationMs = Math.round((performance.now() - started) * 1000) / 1000;
      const fields = { method: method.path, code: Status[code], durationMs, peer: call.getPeer(), requestId, metadata };
      logger[levelFor(code)](fields, 'rpc finished');
    });
    return new ServerInterceptingCall(call, {
      start: (next) =>
        next({
          onReceiveMetadata: (incoming, nextMetadata) => {
            requestId = incoming.get(REQUEST_ID_KEY)[0];
            if (logger.isLevelEnabled('debug')) metadata = incoming.getMap();
            nextMetadata(incoming);
          },
          onCancel: () => end.cancelled(),
        }),
      sendStatus: (status, next) => {
        end.statusSent(status.code);
        next(status);
      },
    });
  };
}
