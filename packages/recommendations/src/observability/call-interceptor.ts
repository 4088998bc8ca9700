import {
  Metadata,
  type ServerInterceptingCallInterface,
  type ServerInterceptor,
  type ServerListener,
  ServerInterceptingCall,
  type ServerMethodDefinition,
} from '@grpc/grpc-js';
import type { AnswerMetadata } from '../interceptors/catalog-version';
import { type ObserveOptions, noteHandlerStarted, withRecord } from './call-start';
import { requestIdMetadata, takeRequestId } from './request-id';
import type { MethodMetrics } from './server-metrics';

type Method = Pick<ServerMethodDefinition<unknown, unknown>, 'path' | 'requestStream' | 'responseStream'>;

/**
 * One streaming call through grpc-js' public interceptor API: the request id (the caller's
 * `x-request-id` when acceptable, else a UUID, takeRequestId), written into the metadata
 * handlers read and sent back lazily, in the response headers or, for a call that ends or fails
 * before any, in the trailers. Headers sent before the handler decides would turn a
 * refusal (RESOURCE_EXHAUSTED from the ListBooks cap) into headers then trailers, and to a client
 * granting no flow-control window Node never sends those trailers: the refused call would stay
 * open (system-tests/test/hostile-streams.test.ts). Also the messages each way, the handler's
 * start and the status it answered, and `answer`'s metadata, in the headers and the trailers,
 * for the methods it applies to.
 */
function observeStream(
  call: ServerInterceptingCallInterface,
  method: Method,
  counters: MethodMetrics | undefined,
  answer: AnswerMetadata | undefined,
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
      answer?.addTo(metadata);
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
      if (answer === undefined && (headersSent || requestId === undefined)) {
        next(status);
        return;
      }
      const trailers = status.metadata ?? new Metadata();
      answer?.addTo(trailers);
      if (!headersSent && requestId !== undefined) requestIdMetadata(requestId, trailers);
      next({ ...status, metadata: trailers });
    },
  });
}

/**
 * Observes every streaming call of the methods the server serves through `observedServer`
 * (observed-handlers.ts), and adds `options.answer`'s metadata (the catalog version) where it
 * applies. Pass it last in the server's `interceptors`: the nearest the handlers, it sees only
 * what they answer, and calls an inner interceptor refused (TLS_ALLOWED_CLIENTS) stay calls no
 * handler saw.
 *
 * A unary call passes through as grpc-js gave it (an interceptor may return the call it was
 * handed: grpc-js chains whatever each one returns): its handler wrapper (observed-handlers.ts)
 * does the same work with the unary call's own public API (`metadata`, `sendMetadata`, the
 * callback's trailers), one layer of objects fewer per call (docs/benchmarks.md, "The
 * cuts": with the next cut, 0.93× the CPU per Recommend). Statuses grpc-js writes itself (a
 * passed deadline, a malformed message, an inner interceptor's refusal) never went through this
 * layer's `sendStatus`, so no answer changes.
 */
export function createCallInterceptor(options: ObserveOptions): ServerInterceptor {
  return (method, call) => {
    if (!method.requestStream && !method.responseStream) return call as ServerInterceptingCall;
    const { answer } = options;
    return observeStream(
      call,
      method,
      options.observer.countersOf(method.path),
      answer?.appliesTo(method.path) ? answer : undefined,
      options,
    );
  };
}
