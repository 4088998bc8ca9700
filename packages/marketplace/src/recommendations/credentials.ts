import { type ChannelCredentials as Credentials, type ChannelOptions, credentials, experimental } from '@grpc/grpc-js';
import { readFileSync } from 'node:fs';
import { createSecureContext } from 'node:tls';
import { observeHandshakes } from './grpc-internals';
import type { RecommendationsTlsConfig } from './tls-config';
import type { TlsStatus } from './tls-status';

/** How the channel to Recommendations is secured. */
export interface ChannelSecurity {
  readonly credentials: Credentials;
  readonly channelOptions: ChannelOptions;
  /** Told of every successful call: TLS works (logged once after a failure). */
  callSucceeded(): void;
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
    credentials: observeHandshakes(inner, status),
    channelOptions: tls.serverName === undefined ? {} : { 'grpc.ssl_target_name_override': tls.serverName },
    callSucceeded: () => status.succeeded(),
  };
}
