import {
  type handleBidiStreamingCall,
  type Server,
  type ServerDuplexStream,
  status as Status,
  type UntypedServiceImplementation,
} from '@grpc/grpc-js';

type ReflectionCall = ServerDuplexStream<unknown, unknown>;

/**
 * Reads no further request while a response waits for the client's window: @grpc/reflection
 * 1.0.4 answers each request with `write()` and ignores its result, so a client that keeps
 * asking and never reads had every answer queued (RSS 74 → 1,338 MB in 15 s, issue 25).
 * Pausing the call stops grpc-js pulling messages off the HTTP/2 stream, whose window then
 * stops the client.
 */
function readOnlyWhileDrained(call: ReflectionCall): void {
  const write = call.write.bind(call) as (...args: unknown[]) => boolean;
  let waiting = false;
  call.write = ((...args: unknown[]) => {
    const ready = write(...args);
    if (!ready && !waiting) {
      waiting = true;
      call.pause();
      call.once('drain', () => {
        waiting = false;
        call.resume();
      });
    }
    return ready;
  }) as ReflectionCall['write'];
}

/**
 * `server`, as far as adding the reflection services goes, with their (bidi) handlers bounded:
 * back-pressure on each stream, and at most `maxStreams` streams open at once over v1 and
 * v1alpha; further ones end at once with RESOURCE_EXHAUSTED. Each open stream holds up to a
 * window of unread requests and of unsent answers, and a tool (grpcurl, buf curl, Postman)
 * needs one for a moment.
 */
export function boundedReflection(
  server: Pick<Server, 'addService'>,
  options: { maxStreams: number },
): Pick<Server, 'addService'> {
  let open = 0;
  const bound =
    (handler: handleBidiStreamingCall<unknown, unknown>): handleBidiStreamingCall<unknown, unknown> =>
    (call) => {
      if (open >= options.maxStreams) {
        call.emit('error', { code: Status.RESOURCE_EXHAUSTED, details: 'too many reflection streams open' });
        return;
      }
      open += 1;
      let released = false;
      const release = () => {
        if (released) return;
        released = true;
        open -= 1;
      };
      // 'cancelled' when the client goes, 'finish' when the stream ended normally, 'close' after either.
      for (const event of ['cancelled', 'finish', 'close', 'error']) call.once(event, release);
      readOnlyWhileDrained(call);
      handler(call);
    };
  return {
    addService(definition, implementation) {
      const bounded: UntypedServiceImplementation = {};
      for (const [name, handler] of Object.entries(implementation)) {
        bounded[name] = bound(handler as handleBidiStreamingCall<unknown, unknown>);
      }
      server.addService(definition, bounded);
    },
  };
}
