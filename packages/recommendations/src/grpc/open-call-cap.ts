import { status as Status } from '@grpc/grpc-js';

/**
 * At most `maxOpen` calls of one kind open at once over every connection: `admit` answers false
 * (and ends the call with RESOURCE_EXHAUSTED) past it. A client that stops reading, or keeps a
 * stream open, holds its place (~25 KB inside grpc-js and Node's HTTP/2) until it goes.
 */
export function createOpenCallCap(maxOpen: number, name: string) {
  let open = 0;
  return {
    admit(call: {
      emit(event: 'error', error: unknown): boolean;
      once(event: 'cancelled', listener: () => void): unknown;
    }) {
      if (open >= maxOpen) {
        call.emit('error', {
          code: Status.RESOURCE_EXHAUSTED,
          details: `too many ${name} open (${maxOpen}); retry later`,
        });
        return false;
      }
      open += 1;
      // grpc-js emits 'cancelled' once after every call, finished or not (health.ts counts the same way).
      call.once('cancelled', () => (open -= 1));
      return true;
    },
  };
}
