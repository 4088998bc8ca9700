import {
  type handleBidiStreamingCall,
  type handleClientStreamingCall,
  type handleServerStreamingCall,
  type handleUnaryCall,
  type Metadata,
  type Server,
  type ServiceDefinition,
  status as Status,
  type UntypedServiceImplementation,
} from '@grpc/grpc-js';
import type { Logger } from 'pino';
import { callerOf } from '../grpc/caller-identity';
import { streamOf } from '../grpc/grpc-internals';
import { type CallObserver, type CallRecord, recordOf } from './call-observer';
import { requestIdMetadata, takeRequestId } from './request-id';
import type { MethodMetrics } from './server-metrics';

interface ObserveOptions {
  readonly observer: CallObserver;
  readonly identifyCallers: boolean;
  readonly logger: Logger;
}

type Call = Parameters<handleUnaryCall<unknown, unknown>>[0] & {
  metadata: Metadata;
  sendMetadata(metadata: Metadata): void;
};

/**
 * The call's record, now or, for calls with a request stream, on the next tick: grpc-js starts
 * those handlers from its own 'stream' listener, before the observer's has made the record.
 */
function withRecord(call: unknown, use: (record: CallRecord) => void): void {
  const record = recordOf(streamOf(call));
  if (record !== undefined) use(record);
  else
    process.nextTick(() => {
      const later = recordOf(streamOf(call));
      if (later !== undefined) use(later);
    });
}

/**
 * What every handler does first: the request id into the metadata (returned), and on the call's
 * record the id, the caller and, at debug, the metadata.
 */
function begin(call: Call, options: ObserveOptions): string {
  const requestId = takeRequestId(call.metadata);
  withRecord(call, (record) => {
    record.requestId = requestId;
    if (options.identifyCallers) record.caller = callerOf(call);
    if (options.logger.isLevelEnabled('debug')) record.metadata = call.metadata.getMap();
  });
  return requestId;
}

/** Keeps the status a streaming handler failed with on its record. */
function keepHandlerCode(call: NodeJS.EventEmitter): void {
  call.once('error', (error: { code?: Status }) => withRecord(call, (record) => (record.handlerCode = error.code)));
}

interface StreamCall {
  write(...args: unknown[]): boolean;
  end(metadata?: Metadata): void;
  emit(event: string | symbol, ...args: unknown[]): boolean;
  sendMetadata(metadata: Metadata): void;
}

/**
 * Server streams: counts each message written and echoes the request id lazily, in the headers
 * of the first message, or in the trailers of a call that ends or fails before any. Headers sent
 * before the handler decides would turn a refusal (RESOURCE_EXHAUSTED from the ListBooks cap)
 * into headers then trailers, and to a client granting no flow-control window Node never sends
 * those trailers: the refused call would stay open (system-tests/test/hostile-streams.test.ts).
 */
function observeWrites(call: StreamCall, counters: MethodMetrics, id: string) {
  let headersSent = false;
  const write = call.write.bind(call);
  call.write = (...args: unknown[]) => {
    counters.sent();
    if (!headersSent) {
      headersSent = true;
      call.sendMetadata(requestIdMetadata(id));
    }
    return write(...args);
  };
  const end = call.end.bind(call);
  call.end = (metadata?: Metadata) => end(headersSent ? metadata : requestIdMetadata(id, metadata));
  const emit = call.emit.bind(call);
  call.emit = (event: string | symbol, ...args: unknown[]) => {
    // grpc-js answers an emitted error with the error's metadata as the trailers.
    const error = args[0] as { metadata?: Metadata | null } | undefined;
    if (event === 'error' && !headersSent && error !== undefined) {
      error.metadata = requestIdMetadata(id, error.metadata ?? undefined);
    }
    return emit(event, ...args);
  };
}

/**
 * Wraps each handler of a service with the request id (the caller's `x-request-id` when
 * acceptable, else a UUID: in the metadata handlers read, and sent back in the response headers
 * or the trailers of a trailers-only error) and the message counters, and ends a unary call
 * with the status its handler answered. The observer (call-observer.ts) does the rest.
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
    if (!method.responseStream) {
      // Unary and client-streaming calls both answer once, through a callback.
      const clientStreaming = method.requestStream;
      const answerOnce = handler as (call: Call, callback: Parameters<handleUnaryCall<unknown, unknown>>[1]) => void;
      observed[name] = ((call: Call, callback: Parameters<handleUnaryCall<unknown, unknown>>[1]) => {
        const id = begin(call, options);
        if (clientStreaming) (call as unknown as NodeJS.EventEmitter).on('data', () => counters.received());
        else counters.received();
        answerOnce(call, (error, value, trailer, flags) => {
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
      }) as handleUnaryCall<unknown, unknown> | handleClientStreamingCall<unknown, unknown>;
    } else if (!method.requestStream) {
      const stream = handler as handleServerStreamingCall<unknown, unknown>;
      observed[name] = ((call) => {
        const id = begin(call, options);
        counters.received();
        observeWrites(call, counters, id);
        keepHandlerCode(call);
        stream(call);
      }) as handleServerStreamingCall<unknown, unknown>;
    } else if (method.responseStream) {
      const bidi = handler as handleBidiStreamingCall<unknown, unknown>;
      observed[name] = ((call) => {
        const id = begin(call as unknown as Call, options);
        call.on('data', () => counters.received());
        observeWrites(call, counters, id);
        keepHandlerCode(call);
        bidi(call);
      }) as handleBidiStreamingCall<unknown, unknown>;
    }
  }
  return observed;
}

/**
 * `server`, as far as adding services goes, with every handler observed: pass it where a
 * service adds itself (`health.addToServer(observed)`).
 */
export function observedServer(server: Server, options: ObserveOptions): Pick<Server, 'addService'> {
  return {
    addService: (definition, implementation) =>
      server.addService(definition, observeService(server, definition, implementation, options)),
  };
}
