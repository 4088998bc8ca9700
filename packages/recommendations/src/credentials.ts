import { experimental, ServerCredentials } from '@grpc/grpc-js';
import type { TlsConfig } from './config';

export interface ServerCredentialsHandle {
  readonly credentials: ServerCredentials;
  /** Resolves once the certificate files have been read; a server must not report ready before. */
  loaded(timeoutMs?: number): Promise<void>;
}

type Provider = InstanceType<typeof experimental.FileWatcherCertificateProvider>;

function firstUpdate(provider: Provider, kind: 'identity' | 'ca', timeoutMs: number, file: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      remove();
      reject(new Error(`TLS: could not read ${file} within ${timeoutMs} ms`));
    }, timeoutMs);
    const listener = (update: unknown) => {
      if (update === null) return;
      clearTimeout(timer);
      remove();
      resolve();
    };
    const remove = () =>
      kind === 'identity'
        ? provider.removeIdentityCertificateListener(listener)
        : provider.removeCaCertificateListener(listener);
    if (kind === 'identity') provider.addIdentityCertificateListener(listener);
    else provider.addCaCertificateListener(listener);
  });
}

/**
 * Plaintext without TLS settings. With them, TLS whose certificate files are re-read every
 * `reloadIntervalMs` (a rotated certificate applies to new connections without a restart);
 * with a client CA, mutual TLS: clients must present a certificate that CA signed.
 */
export function createServerCredentials(tls: TlsConfig | undefined): ServerCredentialsHandle {
  if (tls === undefined) return { credentials: ServerCredentials.createInsecure(), loaded: async () => undefined };
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
  return {
    // grpc-js 1.14 names these parameters (ca, identity) in its typings but uses them as
    // (identity, ca): the server certificate first, the optional client CA second.
    credentials: experimental.createCertificateProviderServerCredentials(identity, clientCa, clientCa !== null),
    // The providers read the files asynchronously; a handshake before that fails.
    loaded: async (timeoutMs = 5000) => {
      await Promise.all([
        firstUpdate(identity, 'identity', timeoutMs, tls.certFile),
        clientCa === null ? undefined : firstUpdate(clientCa, 'ca', timeoutMs, tls.clientCaFile ?? ''),
      ]);
    },
  };
}
