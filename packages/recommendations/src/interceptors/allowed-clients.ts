import { ServerInterceptingCall, status as Status, type ServerInterceptor } from '@grpc/grpc-js';
import { callerNamesOf, callerOf } from '../grpc/caller-identity';

/**
 * `TLS_ALLOWED_CLIENTS`: "signed by our CA" is often wider than "allowed to call this service".
 * A caller none of whose certificate's DNS or URI subject alternative names is listed gets
 * PERMISSION_DENIED before any handler runs. The subject CN is never matched: it is free text that
 * any request to the CA may set, and no name check or issuer policy reads it (issue #25). The call observer still counts and logs the refusal (it watches the HTTP/2 stream).
 */
export function createAllowedClientsInterceptor(allowed: readonly string[]): ServerInterceptor {
  const names = new Set(allowed);
  return (_method, call) =>
    new ServerInterceptingCall(call, {
      start: (next) =>
        next({
          onReceiveMetadata: (metadata, nextMetadata) => {
            const altNames = callerNamesOf(call);
            if (altNames.some((name) => names.has(name))) {
              nextMetadata(metadata);
              return;
            }
            const caller = callerOf(call);
            // Say which names were matched when the logged identity (the CN) is not one of them.
            const checked =
              caller === undefined || altNames.includes(caller)
                ? ''
                : ` (its subject alternative names: ${altNames.join(', ') || 'none'})`;
            call.sendStatus({
              code: Status.PERMISSION_DENIED,
              details: `client ${caller ?? '(no certificate)'} is not in TLS_ALLOWED_CLIENTS${checked}`,
            });
          },
        }),
    });
}
