import { type ChannelCredentials as Credentials, ChannelCredentials } from '@grpc/grpc-js';
import type { TLSSocket } from 'node:tls';

/**
 * Every grpc-js private the Marketplace relies on, and only here (issue 26). Read against grpc-js
 * 1.14.7; test/tls/grpc-internals.test.ts fails when an upgrade moves any of it.
 *
 * grpc-js reports a failed TLS handshake to no public API: a call only fails UNAVAILABLE with a
 * generic message, and the channel retries quietly. Seeing each handshake's outcome takes
 * ChannelCredentials' underscore methods: `_createSecureConnector` (one connector per
 * subchannel, `connect` per connection; its `SecureConnector` type is exported as experimental),
 * and `_isSecure` and `_equals`, which every subclass must implement.
 */

type SecureConnector = ReturnType<Credentials['_createSecureConnector']>;

/** What is told of handshakes. */
export interface HandshakeObserver {
  /** A TLS handshake failed, or the server refused the connection after it (TLS 1.3). */
  failed(error: unknown): void;
}

class ObservedCredentials extends ChannelCredentials {
  constructor(
    private readonly inner: Credentials,
    private readonly observer: HandshakeObserver,
  ) {
    super();
  }
  override _isSecure(): boolean {
    return true;
  }
  override _equals(other: Credentials): boolean {
    return other === this;
  }
  override _createSecureConnector(...args: Parameters<Credentials['_createSecureConnector']>): SecureConnector {
    const connector = this.inner._createSecureConnector(...args);
    const observer = this.observer;
    return {
      async connect(socket) {
        try {
          const result = await connector.connect(socket);
          // With TLS 1.3 the server judges the client certificate after the client's handshake
          // ends: a refusal arrives as an error on the established socket.
          (result.socket as TLSSocket).once('error', (error) => observer.failed(error));
          return result;
        } catch (error) {
          observer.failed(error);
          throw error;
        }
      },
      waitForReady: () => connector.waitForReady(),
      getCallCredentials: () => connector.getCallCredentials(),
      destroy: () => connector.destroy(),
    };
  }
}

/** `inner` (secure credentials), telling `observer` of every failed handshake and otherwise delegating. */
export function observeHandshakes(inner: Credentials, observer: HandshakeObserver): Credentials {
  return new ObservedCredentials(inner, observer);
}
