import {
  type ChannelCredentials as Credentials,
  ChannelCredentials,
  type ChannelOptions,
  credentials,
  experimental,
} from '@grpc/grpc-js';
import { readFileSync } from 'node:fs';
import { createSecureContext, type TLSSocket } from 'node:tls';
import type { RecommendationsTlsConfig } from './recommendations-tls-config';
import type { TlsStatus } from './tls-status';

type SecureConnector = ReturnType<Credentials['_createSecureConnector']>;

/** How the channel to Recommendations is secured. */
export interface ChannelSecurity {
  readonly credentials: Credentials;
  readonly channelOptions: ChannelOptions;
  /** Told of every successful call: TLS works (logged once after a failure). */
  callSucceeded(): void;
}

/**
 * Reports every handshake outcome to `status` and otherwise delegates. grpc-js builds one secure
 * connector per subchannel and calls `connect` per connection (its `SecureConnector` interface is
 * exported as experimental); the TLS tests fail if an upgrade changes that.
 */
class ObservedCredentials extends ChannelCredentials {
  constructor(
    private readonly inner: Credentials,
    private readonly status: TlsStatus,
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
    const status = this.status;
    return {
      async connect(socket) {
        try {
          const result = await connector.connect(socket);
          // With TLS 1.3 the server judges the client certificate after the client's handshake
          // ends: a refusal arrives as an error on the established socket.
          (result.socket as TLSSocket).once('error', (error) => status.failed(error));
          return result;
        } catch (error) {
          status.failed(error);
          throw error;
        }
      },
      waitForReady: () => connector.waitForReady(),
      getCallCredentials: () => connector.getCallCredentials(),
      destroy: () => connector.destroy(),
    };
  }
}

/** Fails start-up with one clear line when a file is missing or the PEM is unusable. */
function checkFiles(tls: RecommendationsTlsConfig): void {
  const read = (variable: string, file: string | undefined) => {
    if (file === undefined) return undefined;
    try {
      return readFileSync(file);
    } catch (error) {
      throw new Error(`${variable}: cannot read ${file}: ${(error as Error).message}`, { cause: error });
    }
  };
  const ca = read('RECOMMENDATIONS_TLS_CA_FILE', tls.caFile);
  const cert = read('RECOMMENDATIONS_TLS_CERT_FILE', tls.certFile);
  const key = read('RECOMMENDATIONS_TLS_KEY_FILE', tls.keyFile);
  try {
    createSecureContext({ ca, cert, key });
  } catch (error) {
    throw new Error(`RECOMMENDATIONS_TLS_* files are not usable PEM: ${(error as Error).message}`, { cause: error });
  }
}

/**
 * Plaintext without TLS settings. With them, credentials that re-read the files every
 * `reloadIntervalMs` and build each new connection from the latest ones (grpc-js' file-watcher
 * certificate provider): a rotated CA or client certificate applies without a restart.
 */
export function createChannelSecurity(tls: RecommendationsTlsConfig | undefined, status: TlsStatus): ChannelSecurity {
  if (tls === undefined)
    return { credentials: credentials.createInsecure(), channelOptions: {}, callSucceeded: () => {} };
  checkFiles(tls);
  const files = new experimental.FileWatcherCertificateProvider({
    caCertificateFile: tls.caFile,
    certificateFile: tls.certFile,
    privateKeyFile: tls.keyFile,
    refreshIntervalMs: tls.reloadIntervalMs,
  });
  const inner = experimental.createCertificateProviderChannelCredentials(
    files,
    tls.certFile === undefined ? null : files,
  );
  return {
    credentials: new ObservedCredentials(inner, status),
    channelOptions: tls.serverName === undefined ? {} : { 'grpc.ssl_target_name_override': tls.serverName },
    callSucceeded: () => status.succeeded(),
  };
}
