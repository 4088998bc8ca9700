import { ServerInterceptingCall, type ServerInterceptor } from '@grpc/grpc-js';
import { randomUUID } from 'node:crypto';

export const REQUEST_ID_KEY = 'x-request-id';

/** Incoming ids are kept only when they look like ids: short, and safe to log and echo. */
const ACCEPTABLE_ID = /^[\w.:-]{1,128}$/;

/**
 * Gives every call an `x-request-id`: the caller's when acceptable, a new UUID otherwise. It is
 * written into the incoming metadata (so handlers and the other interceptors log it) and sent
 * back in the response headers, or the trailers of a trailers-only error.
 */
export function createRequestIdInterceptor(): ServerInterceptor {
  return (_method, call) => {
    let requestId = '';
    let headersSent = false;
    return new ServerInterceptingCall(call, {
      start: (next) =>
        next({
          onReceiveMetadata: (metadata, nextMetadata) => {
            const incoming = metadata.get(REQUEST_ID_KEY)[0];
            requestId = typeof incoming === 'string' && ACCEPTABLE_ID.test(incoming) ? incoming : randomUUID();
            metadata.set(REQUEST_ID_KEY, requestId);
            nextMetadata(metadata);
          },
        }),
      sendMetadata: (metadata, next) => {
        headersSent = true;
        metadata.set(REQUEST_ID_KEY, requestId);
        next(metadata);
      },
      sendStatus: (status, next) => {
        if (!headersSent && status.metadata) status.metadata.set(REQUEST_ID_KEY, requestId);
        next(status);
      },
    });
  };
}
