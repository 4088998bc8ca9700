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
import { REQUEST_ID_HEADER } from '@bookstore/service-kit';

/**
 * Registers each method of a service with the observer, and wraps each unary handler with the
 * message counters and the status it answered, ending the call's record at once. The call
 * interceptor (call-interceptor.ts) handles the request id of every call and observes streaming
 * calls; the observer (call-observer.ts) does the rest.
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
      // Taken from the caller's metadata and sent back by the call interceptor (call-interceptor.ts).
      const requestId = call.metadata.get(REQUEST_ID_HEADER)[0];
      noteHandlerStarted(call, call.metadata, typeof requestId === 'string' ? requestId : '', options);
      counters.received();
      unary(call, (error, value, trailer, flags) => {
        const record = recordOf(streamOf(call));
        if (error) {
          const code = error.code ?? Status.UNKNOWN;
          if (record !== undefined) observer.end(record, code);
          callback(error, value, trailer, flags);
          return;
        }
        counters.sent();
        if (record !== undefined) observer.end(record, Status.OK);
        callback(null, value, trailer, flags);
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
