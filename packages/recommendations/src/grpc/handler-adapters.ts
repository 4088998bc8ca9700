import { REQUEST_ID_HEADER } from '@bookstore/service-kit';
import { once } from 'node:events';
import {
  type handleBidiStreamingCall,
  type handleServerStreamingCall,
  type handleUnaryCall,
  status as Status,
} from '@grpc/grpc-js';
import type { Logger } from 'pino';
import { type AnyCall, type CallContext, contextOf } from './call-context';
import { createOpenCallCap } from './open-call-cap';
import { mapError, toServiceError } from './status-mapping';

export type { CallContext } from './call-context';

/** What a long-lived stream ends with at shutdown: a status clients retry elsewhere. */
export const SHUTTING_DOWN = 'server shutting down: reconnect and resend what was not acknowledged';

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
    const cap = createOpenCallCap(options.maxOpen ?? Number.POSITIVE_INFINITY, options.name ?? 'streams');
    return (call) => {
      if (!cap.admit(call)) return;
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
          if (!call.cancelled) call.emit('error', fail(call, error));
        })
        .finally(() => context.release());
    };
  }

  /**
   * A bidirectional stream answered request by request, in order. While a request is handled the
   * call is paused: grpc-js reads the next message only when asked, so a sender faster than the
   * handler is slowed by HTTP/2 flow control instead of buffered. A thrown error ends the stream
   * with its mapped status; a cancel stops reading and answering. `maxOpen` caps open calls.
   * When `draining` aborts (shutdown), each call ends with UNAVAILABLE as soon as no request is
   * in flight, so a long-lived stream does not hold the shutdown for its whole grace period.
   */
  function bidiStream<Req, Res>(
    handle: (request: Req, context: CallContext) => Promise<Res>,
    options: { maxOpen?: number; name?: string; draining?: AbortSignal } = {},
  ): handleBidiStreamingCall<Req, Res> {
    const cap = createOpenCallCap(options.maxOpen ?? Number.POSITIVE_INFINITY, options.name ?? 'streams');
    const { draining } = options;
    return (call) => {
      if (!cap.admit(call)) return;
      const context = contextOf(call);
      let failed = false;
      let inFlight = false;
      const endForShutdown = () => {
        if (inFlight || failed || call.cancelled) return;
        failed = true;
        call.emit('error', { code: Status.UNAVAILABLE, details: SHUTTING_DOWN });
      };
      draining?.addEventListener('abort', endForShutdown);
      call.once('cancelled', () => draining?.removeEventListener('abort', endForShutdown));
      if (draining?.aborted) endForShutdown();
      const answer = async (request: Req) => {
        const response = await handle(request, context);
        if (call.cancelled) return;
        if (!call.write(response)) await once(call, 'drain', { signal: context.signal }).catch(() => undefined);
      };
      call.on('data', (request: Req) => {
        if (call.cancelled || failed) return;
        call.pause();
        inFlight = true;
        answer(request).then(
          () => {
            inFlight = false;
            if (draining?.aborted) endForShutdown();
            else if (!call.cancelled) call.resume();
          },
          (error: unknown) => {
            inFlight = false;
            failed = true;
            context.release();
            if (!call.cancelled) call.emit('error', fail(call, error));
          },
        );
      });
      // Reached only after the last request was answered: the call is paused while one is handled.
      call.once('end', () => {
        context.release();
        if (!call.cancelled && !failed) call.end();
      });
    };
  }

  return { unary, serverStream, bidiStream };
}
