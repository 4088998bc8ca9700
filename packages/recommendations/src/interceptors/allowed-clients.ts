import { ServerInterceptingCall, status as Status, type ServerInterceptor } from '@grpc/grpc-js';
import { callerOf } from '../grpc/caller-identity';

/**
 * `TLS_ALLOWED_CLIENTS`: "signed by our CA" is often wider than "allowed to call this service".
 * A caller whose certificate identity is not listed gets PERMISSION_DENIED before any handler
 * runs. The call observer still counts and logs the refusal (it watches the HTTP/2 stream).
 */
export function createAllowedClientsInterceptor(allowed: readonly string[]): ServerInterceptor {
  const names = new Set(allowed);
  return (_method, call) =>
    new ServerInterceptingCall(call, {
      start: (next) =>
        next({
          onReceiveMetadata: (metadata, nextMetadata) => {
            const caller = callerOf(call);
            if (caller !== undefined && names.has(caller)) {
              nextMetadata(metadata);
              return;
            }
            call.sendStatus({
              code: Status.PERMISSION_DENIED,
              details: `client ${caller ?? '(no certificate)'} is not in TLS_ALLOWED_CLIENTS`,
            });
          },
        }),
    });
}
