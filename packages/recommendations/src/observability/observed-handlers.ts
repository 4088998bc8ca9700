import {
  type handleUnaryCall,
  Metadata,
  type Server,
  type ServiceDefinition,
  status as Status,
  type UntypedServiceImplementation,
} from '@grpc/grpc-js';
import { recordOf } from './call-observer';
import { type ObserveOptions, noteHandlerStarted } from './call-start';
import { streamOf } from '../grpc/grpc-internals';
import { requestIdMetadata, takeRequestId } from './request-id';

/**
 * Registers each method of a service with the observer, and wraps each unary handler: the
 * request id (the caller's `x-request-id` when acceptable, else a UUID), written into the
 * metadata the handler reads and sent back in the response headers, or in the trailers of a
 * call that fails; `options.answer`'s metadata (the catalog version) in the headers and the
 * trailers where it applies; the message counters and the status it answered, ending the call's
 * record at once. Streaming calls get the same from the call interceptor (call-interceptor.ts),
 * the observer (call-observer.ts) does the rest.
 */
function observeService(
  server: Server,
  definition: ServiceDefinition,
  implementation: UntypedServiceImplementation,
  options: ObserveOptions,
): UntypedServiceImplementation {
  const { observer } = options;
  const observed: UntypedServiceImplementation = {};
  for (const [name, method] of Object.entries(definition)) {
    const handler = implementation[name] ?? implementation[method.originalName ?? name];
    if (handler === undefined) continue;
    const counters = observer.countersFor(method, server);
    if (method.requestStream || method.responseStream) {
      observed[name] = handler;
      continue;
    }
    const unary = handler as handleUnaryCall<unknown, unknown>;
    const answer = options.answer?.appliesTo(method.path) ? options.answer : undefined;
    observed[name] = ((call, callback) => {
      const requestId = takeRequestId(call.metadata);
      noteHandlerStarted(call, call.metadata, requestId, options);
      counters.received();
      unary(call, (error, value, trailer, flags) => {
        const record = recordOf(streamOf(call));
        if (error) {
          const code = error.code ?? Status.UNKNOWN;
          if (record !== undefined) observer.end(record, code);
          // No headers were sent: the id goes in the trailers, which grpc-js takes from `trailer`
          // when given, else from the error (added to a copy: an error object may be shared).
          const trailers = trailer ?? error.metadata?.clone() ?? new Metadata();
          answer?.addTo(trailers);
          callback(error, value, requestIdMetadata(requestId, trailers), flags);
          return;
        }
        counters.sent();
        if (record !== undefined) observer.end(record, Status.OK);
        const headers = requestIdMetadata(requestId);
        answer?.addTo(headers);
        call.sendMetadata(headers);
        if (answer === undefined) callback(null, value, trailer, flags);
        else {
          const trailers = trailer ?? new Metadata();
          answer.addTo(trailers);
          callback(null, value, trailers, flags);
        }
      });
    }) as handleUnaryCall<unknown, unknown>;
  }
  return observed;
}

/**
 * `server`, as far as adding services goes, with every method observed: pass it where a service
 * adds itself (`health.addToServer(observed)`). The server needs the call interceptor
 * (call-interceptor.ts) last among its interceptors too.
 */
export function observedServer(server: Server, options: ObserveOptions): Pick<Server, 'addService'> {
  return {
    addService: (definition, implementation) =>
      server.addService(definition, observeService(server, definition, implementation, options)),
  };
}
