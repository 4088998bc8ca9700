import type { Logger } from 'pino';

/** Which check failed, by the error code Node's TLS (OpenSSL) reports. */
const CHECKS: [RegExp, string][] = [
  [/^CERT_HAS_EXPIRED$/, 'the server certificate has expired'],
  [/^CERT_NOT_YET_VALID$/, 'the server certificate is not valid yet'],
  [
    /^ERR_TLS_CERT_ALTNAME_INVALID$/,
    'the server certificate does not name the host dialled (see RECOMMENDATIONS_TLS_SERVER_NAME)',
  ],
  [
    /^(UNABLE_TO_VERIFY_LEAF_SIGNATURE|SELF_SIGNED_CERT_IN_CHAIN|DEPTH_ZERO_SELF_SIGNED_CERT|UNABLE_TO_GET_ISSUER_CERT(_LOCALLY)?|CERT_SIGNATURE_FAILURE)$/,
    'the server certificate is not signed by a CA in RECOMMENDATIONS_TLS_CA_FILE',
  ],
  [/CERTIFICATE_REQUIRED$/, 'the server requires a client certificate (RECOMMENDATIONS_TLS_CERT_FILE, _KEY_FILE)'],
  [/ALERT_CERTIFICATE_EXPIRED$/, 'the server rejected our client certificate: expired'],
  [
    /ALERT_(BAD_CERTIFICATE|UNKNOWN_CA|DECRYPT_ERROR|CERTIFICATE_UNKNOWN|UNSUPPORTED_CERTIFICATE)$/,
    'the server rejected our client certificate',
  ],
  [
    /WRONG_VERSION_NUMBER|PACKET_LENGTH_TOO_LONG/,
    'the server does not speak TLS (is Recommendations running without TLS_CERT_FILE?)',
  ],
];

/** The failed check for a TLS error, or undefined for errors that are not about TLS (a refused connection). */
export function tlsCheckFailed(error: unknown): string | undefined {
  const code = (error as { code?: unknown } | null)?.code;
  const message = error instanceof Error ? error.message : String(error);
  if (message === 'Failed to load credentials')
    return 'the TLS files could not be read or do not form a valid key pair';
  if (typeof code !== 'string') return undefined;
  const known = CHECKS.find(([pattern]) => pattern.test(code));
  if (known) return known[1];
  return /^ERR_(SSL|TLS)_/.test(code) ? `TLS handshake failed (${message})` : undefined;
}

export interface TlsStatus {
  /** A connection attempt or an established TLS connection failed. */
  failed(error: unknown): void;
  /** A call succeeded: the TLS connection it used works. */
  succeeded(): void;
}

/**
 * Turns many failed handshakes into few log lines: one error line when a check starts failing
 * (or a different one fails), one info line when calls succeed again, and while the same check
 * keeps failing at most one line per `repeatMs` with the count since the last. Pages degrade as
 * in any outage; the reason is here, not in a stack trace per page.
 */
export function createTlsStatus(options: { logger: Logger; target: string; repeatMs?: number }): TlsStatus {
  const { logger, target } = options;
  const repeatMs = options.repeatMs ?? 60_000;
  let failing: string | undefined;
  let working = false;
  let loggedAt = 0;
  let since = 0;
  return {
    failed(error) {
      const check = tlsCheckFailed(error);
      if (check === undefined) return;
      since += 1;
      const now = Date.now();
      if (check === failing && now - loggedAt < repeatMs) return;
      const tlsError = (error as { code?: string }).code;
      logger.error({ target, check, tlsError, failures: since }, `TLS to Recommendations failed: ${check}`);
      failing = check;
      working = false;
      loggedAt = now;
      since = 0;
    },
    succeeded() {
      if (working) return;
      working = true;
      if (failing !== undefined) logger.info({ target }, 'TLS to Recommendations works again');
      else logger.info({ target }, 'TLS to Recommendations established');
      failing = undefined;
      since = 0;
    },
  };
}
