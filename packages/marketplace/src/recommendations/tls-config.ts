import type { EnvReader } from '@bookstore/service-kit';

/** TLS to Recommendations (docs/operations.md); absent means plaintext. */
export interface RecommendationsTlsConfig {
  /** PEM bundle of the CAs to trust for the server certificate. */
  readonly caFile: string;
  /** The client certificate and key for mutual TLS; both or neither. */
  readonly certFile: string | undefined;
  readonly keyFile: string | undefined;
  /** The name checked in the server certificate (and sent as SNI) instead of the target's host. */
  readonly serverName: string | undefined;
  /** How often the files are re-read: rotated files apply to new connections without a restart. */
  readonly reloadIntervalMs: number;
}

const CA = 'RECOMMENDATIONS_TLS_CA_FILE';
const CERT = 'RECOMMENDATIONS_TLS_CERT_FILE';
const KEY = 'RECOMMENDATIONS_TLS_KEY_FILE';
const NAME = 'RECOMMENDATIONS_TLS_SERVER_NAME';

/**
 * Reads the RECOMMENDATIONS_TLS_* variables. Allowed: none; the CA; the CA with the certificate
 * and key; each of those with the server name. Anything else is one problem naming them all.
 */
export function readRecommendationsTls(read: EnvReader): RecommendationsTlsConfig | undefined {
  const caFile = read.optional(CA);
  const certFile = read.optional(CERT);
  const keyFile = read.optional(KEY);
  const serverName = read.optional(NAME);
  const reloadIntervalMs = read.integer('RECOMMENDATIONS_TLS_RELOAD_INTERVAL_MS', 60_000, {
    min: 100,
    max: 86_400_000,
  });
  const set = [CA, CERT, KEY, NAME].filter((_, i) => [caFile, certFile, keyFile, serverName][i] !== undefined);
  const pairBroken = (certFile === undefined) !== (keyFile === undefined);
  if (pairBroken || (caFile === undefined && set.length > 0)) {
    read.problem(
      `TLS to Recommendations needs ${CA} (which turns it on), optionally ${CERT} and ${KEY} together ` +
        `(mutual TLS) and ${NAME}; set now: ${set.join(', ')}`,
    );
    return undefined;
  }
  return caFile === undefined ? undefined : { caFile, certFile, keyFile, serverName, reloadIntervalMs };
}
