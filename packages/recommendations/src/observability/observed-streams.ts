import {
  type Metadata,
  type ServerInterceptingCallInterface,
  ServerInterceptingCall,
  type ServerInterceptor,
} from '@grpc/grpc-js';
import { type ObserveOptions, noteHandlerStarted, withRecord } from './call-start';
import { requestIdMetadata, takeRequestId } from './request-id';
import type { MethodMetrics } from './server-metrics';

/**
 * A streaming call through grpc-js' public interceptor API: the request id (taken from the
 * caller's metadata, sent back lazily, in the headers of the first message or in the trailers
 * of a call that ends or fails before any), the messages each way, and the status its handler
 * answered. Headers sent before the handler decides would turn a refusal (RESOURCE_EXHAUSTED
 * from the ListBooks cap) into headers then trailers, and to a client granting no flow-control
 * window Node never sends those trailers: the refused call would stay open
 * (system-tests/test/hostile-streams.test.ts).
 */
function observeStream(
  call: ServerInterceptingCallInterface,
  requestStream: boolean,
  counters: MethodMetrics,
  options: ObserveOptions,
): ServerInterceptingCall {
  let requestId: string | undefined;
  let requestMetadata: Metadata | undefined;
  let requestReceived = false;
  let headersSent = false;
  return new ServerInterceptingCall(call, {
    start: (next) =>
      next({
        onReceiveMetadata: (metadata, pass) => {
          requestId = takeRequestId(metadata);
          requestMetadata = metadata;
          // grpc-js starts a handler with a request stream now; a server-streaming one at the
          // half-close after its one message (below).
          if (requestStream) noteHandlerStarted(call, metadata, requestId, options);
          pass(metadata);
        },
        onReceiveMessage: (message, pass) => {
          if (requestStream) counters.received();
          requestReceived = true;
          pass(message);
        },
        onReceiveHalfClose: (pass) => {
          if (!requestStream && requestReceived && requestMetadata !== undefined && requestId !== undefined) {
            noteHandlerStarted(call, requestMetadata, requestId, options);
            counters.received();
          }
          pass();
        },
      }),
    sendMetadata: (metadata, next) => {
      headersSent = true;
      next(requestId === undefined ? metadata : requestIdMetadata(requestId, metadata));
    },
    sendMessage: (message, next) => {
      counters.sent();
      next(message);
    },
    sendStatus: (status, next) => {
      withRecord(call, (record) => (record.handlerCode = status.code));
      if (headersSent || requestId === undefined) next(status);
      else next({ ...status, metadata: requestIdMetadata(requestId, status.metadata ?? undefined) });
    },
  });
}

/**
 * Observes the streaming calls of every method the server serves through `observedServer`
 * (observed-handlers.ts; unary calls are observed there, at less cost). Pass it last in the
 * server's `interceptors`: the nearest the handlers, it sees only what they answer, and calls an
 * inner interceptor refused (TLS_ALLOWED_CLIENTS) stay calls no handler saw.
 */
export function createStreamObserver(options: ObserveOptions): ServerInterceptor {
  return (method, call) => {
    const counters =
      method.requestStream || method.responseStream ? options.observer.countersOf(method.path) : undefined;
    if (counters === undefined) return new ServerInterceptingCall(call);
    return observeStream(call, method.requestStream, counters, options);
  };
}
