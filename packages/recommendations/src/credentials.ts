import { experimental, ServerCredentials } from '@grpc/grpc-js';
import type { TlsConfig } from './config';

/**
 * Plaintext without TLS settings. With them, TLS whose certificate files are re-read every
 * `reloadIntervalMs` (a rotated certificate applies to new connections without a restart);
 * with a client CA, mutual TLS: clients must present a certificate that CA signed.
 */
export function createServerCredentials(tls: TlsConfig | undefined): ServerCredentials {
  if (tls === undefined) return ServerCredentials.createInsecure();
  const identity = new experimental.FileWatcherCertificateProvider({
    certificateFile: tls.certFile,
    privateKeyFile: tls.keyFile,
    refreshIntervalMs: tls.reloadIntervalMs,
  });
  const clientCa =
    tls.clientCaFile === undefined
      ? null
      : new experimental.FileWatcherCertificateProvider({
          caCertificateFile: tls.clientCaFile,
          refreshIntervalMs: tls.reloadIntervalMs,
        });
  // grpc-js 1.14 names these parameters (ca, identity) in its typings but uses them as
  // (identity, ca): the server certificate first, the optional client CA second.
  return experimental.createCertificateProviderServerCredentials(identity, clientCa, clientCa !== null);
}
