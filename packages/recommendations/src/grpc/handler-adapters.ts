import { REQUEST_ID_HEADER } from '@bookstore/service-kit';
import { once } from 'node:events';
import {
  type handleServerStreamingCall,
  type handleUnaryCall,
  type Metadata,
  type ServerUnaryCall,
  type ServerWritableStream,
  status as Status,
} from '@grpc/grpc-js';
import type { Logger } from 'pino';
import { callerOf } from './caller-identity';
import { mapError, toServiceError } from './status-mapping';

/** What a handler may know about its call, without touching grpc-js. */
export interface CallContext {
  readonly metadata: Metadata;
  /** Aborted when the client cancels or the deadline passes. */
  readonly signal: AbortSignal;
  /** With mutual TLS, the caller's certificate identity (CN or first SAN); otherwise undefined. */
  readonly caller: string | undefined;
}

type AnyCall = ServerUnaryCall<unknown, unknown> | ServerWritableStream<unknown, unknown>;

/**
 * The context is lazy: the AbortController, and the 'cancelled' listener that aborts it, are
 * made only if a handler reads `signal`. grpc-js emits 'cancelled' after every call, even a
 * finished one, and an abort builds a DOMException with a stack; made eagerly for every call,
 * controller and listener were measured costs under load (docs/benchmarks.md).
 */
function contextOf(call: AnyCall): CallContext & { release(): void } {
  let controller: AbortController | undefined;
  const onCancel = () => controller?.abort();
  return {
    metadata: call.metadata,
    get caller() {
      return callerOf(call);
    },
    get signal() {
      if (controller === undefined) {
        controller = new AbortController();
        if (call.cancelled) controller.abort();
        else call.once('cancelled', onCancel);
      }
      return controller.signal;
    },
    release: () => {
      if (controller !== undefined) call.removeListener('cancelled', onCancel);
    },
  };
}

const isPromiseLike = (value: unknown): value is PromiseLike<unknown> =>
  typeof (value as PromiseLike<unknown> | undefined)?.then === 'function';

/**
 * Adapts handlers that return or throw into grpc-js handlers. Thrown errors go through the one
 * error mapping; unexpected ones are logged here, once, with their stack, and reach the client
 * as a generic INTERNAL.
 */
export function createHandlerAdapters(logger: Logger) {
  function fail(call: AnyCall, error: unknown) {
    const mapped = mapError(error);
    if (!mapped.expected) {
      const requestId = call.metadata.get(REQUEST_ID_HEADER)[0];
      logger.error({ err: error, method: call.getPath(), requestId }, 'unhandled error in handler');
    }
    return toServiceError(mapped);
  }

  /** A handler that answers synchronously is answered in the same tick; a promise is awaited. */
  function unary<Req, Res>(
    handle: (request: Req, context: CallContext) => Res | Promise<Res>,
  ): handleUnaryCall<Req, Res> {
    return (call, callback) => {
      const context = contextOf(call);
      const succeed = (response: Res) => {
        context.release();
        callback(null, response);
      };
      const failWith = (error: unknown) => {
        context.release();
        callback(fail(call, error));
      };
      let result: Res | Promise<Res>;
      try {
        result = handle(call.request, context);
      } catch (error) {
        failWith(error);
        return;
      }
      if (isPromiseLike(result)) result.then(succeed, failWith);
      else succeed(result);
    };
  }

  /**
   * Streams what the handler yields, waiting for the client to drain and stopping on cancel.
   * With `maxOpen`, at most that many such calls are open at once over every connection; further
   * ones end at once with RESOURCE_EXHAUSTED (a client that never reads holds its call until its
   * connection's maximum age, and each costs ~25 KB inside grpc-js and Node's HTTP/2).
   */
  function serverStream<Req, Res>(
    handle: (request: Req, context: CallContext) => Iterable<Res> | AsyncIterable<Res>,
    options: { maxOpen?: number; name?: string } = {},
  ): handleServerStreamingCall<Req, Res> {
    const maxOpen = options.maxOpen ?? Number.POSITIVE_INFINITY;
    let open = 0;
    return (call) => {
      if (open >= maxOpen) {
        call.emit('error', {
          code: Status.RESOURCE_EXHAUSTED,
          details: `too many ${options.name ?? 'streams'} open (${maxOpen}); retry later`,
        });
        return;
      }
      open += 1;
      // grpc-js emits 'cancelled' once after every call, finished or not (health.ts counts the same way).
      call.once('cancelled', () => (open -= 1));
      const context = contextOf(call);
      const run = async () => {
        for await (const message of handle(call.request, context)) {
          if (call.cancelled) return;
          if (!call.write(message)) {
            await once(call, 'drain', { signal: context.signal }).catch(() => undefined);
          }
        }
        if (!call.cancelled) call.end();
      };
      run()
        .catch((error: unknown) => {
          if (!call.cancelled) call.emit('error', fail(call as AnyCall, error));
        })
        .finally(() => context.release());
    };
  }

  return { unary, serverStream };
}
