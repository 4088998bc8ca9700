import { ServerInterceptingCall, status as Status, type ServerInterceptor } from '@grpc/grpc-js';
import type { Logger } from 'pino';

/** Codes that mean the client asked for something wrong: worth a warning, not an alert. */
const CLIENT_ERRORS = new Set<Status>([
  Status.INVALID_ARGUMENT,
  Status.NOT_FOUND,
  Status.ALREADY_EXISTS,
  Status.FAILED_PRECONDITION,
  Status.OUT_OF_RANGE,
  Status.RESOURCE_EXHAUSTED,
  Status.UNAUTHENTICATED,
  Status.PERMISSION_DENIED,
]);

function levelFor(code: Status): 'info' | 'warn' | 'error' {
  if (code === Status.OK || code === Status.CANCELLED) return 'info';
  return CLIENT_ERRORS.has(code) ? 'warn' : 'error';
}

/** One JSON line per RPC when it ends: method, status code name, duration and peer. */
export function createAccessLogInterceptor(logger: Logger): ServerInterceptor {
  return (methodDescriptor, call) => {
    const started = performance.now();
    let done = false;
    const log = (code: Status) => {
      if (done) return;
      done = true;
      const durationMs = Math.round((performance.now() - started) * 1000) / 1000;
      logger[levelFor(code)](
        { method: methodDescriptor.path, code: Status[code], durationMs, peer: call.getPeer() },
        'rpc finished',
      );
    };
    return new ServerInterceptingCall(call, {
      start: (next) => next({ onCancel: () => log(Status.CANCELLED) }),
      sendStatus: (status, next) => {
        log(status.code);
        next(status);
      },
    });
  };
}
