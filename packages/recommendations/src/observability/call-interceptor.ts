import {
  type Metadata,
  type ServerInterceptingCallInterface,
  type ServerInterceptor,
  type ServerListener,
  ServerInterceptingCall,
  type ServerMethodDefinition,
} from '@grpc/grpc-js';
import { type ObserveOptions, noteHandlerStarted, withRecord } from './call-start';
import { requestIdMetadata, takeRequestId } from './request-id';
import type { MethodMetrics } from './server-metrics';

type Method = Pick<ServerMethodDefinition<unknown, unknown>, 'path' | 'requestStream' | 'responseStream'>;

/**
 * One call through grpc-js' public interceptor API. For every call: the request id, the one
 * place it is decided (the caller's `x-request-id` when acceptable, else a UUID), written into the
 * metadata handlers read and sent back lazily, in the response headers or, for a call that ends
 * or fails before any, in the trailers. Headers sent before the handler decides would turn a
 * refusal (RESOURCE_EXHAUSTED from the ListBooks cap) into headers then trailers, and to a client
 * granting no flow-control window Node never sends those trailers: the refused call would stay
 * open (system-tests/test/hostile-streams.test.ts). For streaming calls also the messages each
 * way, the handler's start and the status it answered; unary calls have those from the handler
 * wrapper (observed-handlers.ts), at less cost.
 */
function observeCall(
  call: ServerInterceptingCallInterface,
  method: Method,
  counters: MethodMetrics | undefined,
  options: ObserveOptions,
): ServerInterceptingCall {
  let requestId: string | undefined;
  let requestMetadata: Metadata | undefined;
  let requestReceived = false;
  let headersSent = false;
  const listener: ServerListener = {
    onReceiveMetadata: (metadata, pass) => {
      requestId = takeRequestId(metadata);
      requestMetadata = metadata;
      // grpc-js starts a handler with a request stream now; a server-streaming one at the
      // half-close after its one message (below).
      if (counters !== undefined && method.requestStream) noteHandlerStarted(call, metadata, requestId, options);
      pass(metadata);
    },
  };
  if (counters !== undefined) {
    listener.onReceiveMessage = (message, pass) => {
      if (method.requestStream) counters.received();
      requestReceived = true;
      pass(message);
    };
    listener.onReceiveHalfClose = (pass) => {
      if (!method.requestStream && requestReceived && requestMetadata !== undefined && requestId !== undefined) {
        noteHandlerStarted(call, requestMetadata, requestId, options);
        counters.received();
      }
      pass();
    };
  }
  return new ServerInterceptingCall(call, {
    start: (next) => next(listener),
    sendMetadata: (metadata, next) => {
      headersSent = true;
      next(requestId === undefined ? metadata : requestIdMetadata(requestId, metadata));
    },
    sendMessage:
      counters === undefined
        ? undefined
        : (message, next) => {
            counters.sent();
            next(message);
          },
    sendStatus: (status, next) => {
      if (counters !== undefined) withRecord(call, (record) => (record.handlerCode = status.code));
      if (headersSent || requestId === undefined) next(status);
      else next({ ...status, metadata: requestIdMetadata(requestId, status.metadata ?? undefined) });
    },
  });
}

/**
 * Observes every call of the methods the server serves through `observedServer`
 * (observed-handlers.ts). Pass it last in the server's `interceptors`: the nearest the handlers,
 * it sees only what they answer, and calls an inner interceptor refused (TLS_ALLOWED_CLIENTS)
 * stay calls no handler saw.
 */
export function createCallInterceptor(options: ObserveOptions): ServerInterceptor {
  return (method, call) => {
    const streaming = method.requestStream || method.responseStream;
    return observeCall(call, method, streaming ? options.observer.countersOf(method.path) : undefined, options);
  };
}
