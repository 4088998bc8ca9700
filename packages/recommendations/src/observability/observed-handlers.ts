import {
  type handleUnaryCall,
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
 * Registers each method of a service with the observer, and wraps each unary handler with the
 * request id (the caller's `x-request-id` when acceptable, else a UUID: in the metadata handlers
 * read, and sent back in the response headers or the trailers of an error), the message counters,
 * and the status it answered, ending the call's record at once. Streaming calls are observed by
 * the interceptor (observed-streams.ts); the observer (call-observer.ts) does the rest.
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
    observed[name] = ((call, callback) => {
      const id = takeRequestId(call.metadata);
      noteHandlerStarted(call, call.metadata, id, options);
      counters.received();
      unary(call, (error, value, trailer, flags) => {
        const record = recordOf(streamOf(call));
        if (error) {
          const code = error.code ?? Status.UNKNOWN;
          error.metadata = requestIdMetadata(id, error.metadata ?? undefined);
          if (record !== undefined) observer.end(record, code);
          callback(error, value, trailer, flags);
          return;
        }
        counters.sent();
        if (record !== undefined) observer.end(record, Status.OK);
        call.sendMetadata(requestIdMetadata(id));
        callback(null, value, trailer, flags);
      });
    }) as handleUnaryCall<unknown, unknown>;
  }
  return observed;
}

/**
 * `server`, as far as adding services goes, with every method observed: pass it where a service
 * adds itself (`health.addToServer(observed)`). The server needs the stream observer
 * (observed-streams.ts) among its interceptors too.
 */
export function observedServer(server: Server, options: ObserveOptions): Pick<Server, 'addService'> {
  return {
    addService: (definition, implementation) =>
      server.addService(definition, observeService(server, definition, implementation, options)),
  };
}
