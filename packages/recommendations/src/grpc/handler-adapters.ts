import { once } from 'node:events';
import type {
  handleServerStreamingCall,
  handleUnaryCall,
  Metadata,
  ServerUnaryCall,
  ServerWritableStream,
} from '@grpc/grpc-js';
import type { Logger } from 'pino';
import { mapError, toServiceError } from './status-mapping';

/** What a handler may know about its call, without touching grpc-js. */
export interface CallContext {
  readonly metadata: Metadata;
  /** Aborted when the client cancels or the deadline passes. */
  readonly signal: AbortSignal;
}

type AnyCall = ServerUnaryCall<unknown, unknown> | ServerWritableStream<unknown, unknown>;

function contextOf(call: AnyCall): CallContext {
  const controller = new AbortController();
  if (call.cancelled) controller.abort();
  else call.once('cancelled', () => controller.abort());
  return { metadata: call.metadata, signal: controller.signal };
}

/**
 * Adapts handlers that return or throw into grpc-js handlers. Thrown errors go through the one
 * error mapping; unexpected ones are logged here, once, with their stack, and reach the client
 * as a generic INTERNAL.
 */
export function createHandlerAdapters(logger: Logger) {
  function fail(call: AnyCall, error: unknown) {
    const mapped = mapError(error);
    if (!mapped.expected) {
      const requestId = call.metadata.get('x-request-id')[0];
      logger.error({ err: error, method: call.getPath(), requestId }, 'unhandled error in handler');
    }
    return toServiceError(mapped);
  }

  function unary<Req, Res>(
    handle: (request: Req, context: CallContext) => Res | Promise<Res>,
  ): handleUnaryCall<Req, Res> {
    return (call, callback) => {
      Promise.resolve()
        .then(() => handle(call.request, contextOf(call as AnyCall)))
        .then(
          (response) => callback(null, response),
          (error: unknown) => callback(fail(call as AnyCall, error)),
        );
    };
  }

  /** Streams what the handler yields, waiting for the client to drain and stopping on cancel. */
  function serverStream<Req, Res>(
    handle: (request: Req, context: CallContext) => Iterable<Res> | AsyncIterable<Res>,
  ): handleServerStreamingCall<Req, Res> {
    return (call) => {
      const context = contextOf(call as AnyCall);
      const run = async () => {
        for await (const message of handle(call.request, context)) {
          if (context.signal.aborted) return;
          if (!call.write(message)) {
            await once(call, 'drain', { signal: context.signal }).catch(() => undefined);
          }
        }
        if (!context.signal.aborted) call.end();
      };
      run().catch((error: unknown) => {
        if (!context.signal.aborted) call.emit('error', fail(call as AnyCall, error));
      });
    };
  }

  return { unary, serverStream };
}
