import type { Metadata, ServerDuplexStream, ServerUnaryCall, ServerWritableStream } from '@grpc/grpc-js';
import { callerOf } from './caller-identity';

/** What a handler may know about its call, without touching grpc-js. */
export interface CallContext {
  readonly metadata: Metadata;
  /** Aborted when the client cancels or the deadline passes. */
  readonly signal: AbortSignal;
  /** With mutual TLS, the caller's certificate identity (CN or first SAN); otherwise undefined. */
  readonly caller: string | undefined;
}

/** Any call a handler gets. */
export type AnyCall =
  ServerUnaryCall<unknown, unknown> | ServerWritableStream<unknown, unknown> | ServerDuplexStream<unknown, unknown>;

/**
 * The context is lazy: the AbortController, and the 'cancelled' listener that aborts it, are
 * made only if a handler reads `signal`. grpc-js emits 'cancelled' after every call, even a
 * finished one, and an abort builds a DOMException with a stack; made eagerly for every call,
 * controller and listener were measured costs under load (docs/benchmarks.md).
 */
export function contextOf(call: AnyCall): CallContext & { release(): void } {
  let controller: AbortController | undefined;
  // The three call types' listener signatures differ only in their return types.
  const events = call as NodeJS.EventEmitter;
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
        else events.once('cancelled', onCancel);
      }
      return controller.signal;
    },
    release: () => {
      if (controller !== undefined) events.removeListener('cancelled', onCancel);
    },
  };
}
