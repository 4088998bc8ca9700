import { status as Status, type ServerInterceptingCallInterface } from '@grpc/grpc-js';
import type { Http2Stream } from 'node:http2';

/**
 * grpc-js ends some calls below the interceptor chain: a message over the size limit, a
 * compressed message that inflates past it, an unparseable message, a passed deadline. The
 * interceptors then see no sendStatus, only onCancel. The status was written to the HTTP/2
 * stream, though, so it is read from there; a stream with no status was reset by the client.
 *
 * This reaches into the innermost grpc-js call (its `stream` field), the one place this code
 * depends on grpc-js internals; the RESOURCE_EXHAUSTED and DEADLINE_EXCEEDED metrics tests
 * fail if an upgrade moves it.
 */
export function statusWrittenBelow(call: ServerInterceptingCallInterface): Status {
  let current: unknown = call;
  for (let depth = 0; depth < 32 && current !== undefined && current !== null; depth += 1) {
    const stream = (current as { stream?: Http2Stream }).stream;
    if (stream !== undefined) {
      const written = stream.sentTrailers?.['grpc-status'] ?? stream.sentHeaders?.['grpc-status'];
      return written === undefined ? Status.CANCELLED : Number(written);
    }
    current = (current as { nextCall?: unknown }).nextCall;
  }
  return Status.CANCELLED;
}

/**
 * Calls `onEnd` exactly once with the status the call ended with: the one the handler side sent
 * through the chain, or the one grpc-js wrote below it (`below` true: the client's doing, such as
 * an unparseable message or a bad `grpc-timeout`, or a reset).
 */
export function trackCallEnd(call: ServerInterceptingCallInterface, onEnd: (code: Status, below: boolean) => void) {
  let ended = false;
  return {
    /** For the responder's sendStatus. */
    statusSent(code: Status) {
      if (ended) return;
      ended = true;
      onEnd(code, false);
    },
    /** For the listener's onCancel, which grpc-js also calls after every status. */
    cancelled() {
      if (ended) return;
      ended = true;
      onEnd(statusWrittenBelow(call), true);
    },
  };
}
