import pino from 'pino';
import { createChannelSecurity } from '../../src/recommendations/credentials';
import { createTlsStatus, tlsCheckFailed } from '../../src/recommendations/tls-status';

const tlsError = (code: string) => Object.assign(new Error(`${code} happened`), { code });

describe('the TLS failure log', () => {
  function capture(repeatMs?: number) {
    const lines: { msg: string; check?: string; failures?: number }[] = [];
    const logger = pino(
      { level: 'info' },
      { write: (line: string) => lines.push(JSON.parse(line) as (typeof lines)[number]) },
    );
    return { lines, status: createTlsStatus({ logger, target: 'dns:///recommendations:50051', repeatMs }) };
  }

  it('logs a failing check once, a different one at once, and recovery once', () => {
    const { lines, status } = capture();
    for (let i = 0; i < 20; i += 1) status.failed(tlsError('CERT_HAS_EXPIRED'));
    status.failed(Object.assign(new Error('connect ECONNREFUSED'), { code: 'ECONNREFUSED' }));
    status.failed(tlsError('ERR_TLS_CERT_ALTNAME_INVALID'));
    status.succeeded();
    status.succeeded();
    expect(lines.map((l) => l.msg)).toEqual([
      'TLS to Recommendations failed: the server certificate has expired',
      'TLS to Recommendations failed: the server certificate does not name the host dialled (see RECOMMENDATIONS_TLS_SERVER_NAME)',
      'TLS to Recommendations works again',
    ]);
  });

  it('repeats a failure that goes on once per interval, with the count since the last line', () => {
    // The interval is measured with Date.now(): fake timers move it, no waiting on a real clock.
    jest.useFakeTimers({ now: 1_700_000_000_000 });
    try {
      const { lines, status } = capture(50);
      for (let i = 0; i < 5; i += 1) status.failed(tlsError('SELF_SIGNED_CERT_IN_CHAIN'));
      jest.advanceTimersByTime(49);
      status.failed(tlsError('SELF_SIGNED_CERT_IN_CHAIN'));
      expect(lines.map((l) => l.failures)).toEqual([1]);
      jest.advanceTimersByTime(1);
      status.failed(tlsError('SELF_SIGNED_CERT_IN_CHAIN'));
      expect(lines.map((l) => l.failures)).toEqual([1, 6]);
    } finally {
      jest.useRealTimers();
    }
  });

  it('names the check for the errors OpenSSL reports, and ignores errors that are not TLS', () => {
    expect(tlsCheckFailed(tlsError('ERR_SSL_TLSV13_ALERT_CERTIFICATE_REQUIRED'))).toMatch(
      /requires a client certificate/,
    );
    expect(tlsCheckFailed(tlsError('ERR_SSL_WRONG_VERSION_NUMBER'))).toMatch(/does not speak TLS/);
    expect(tlsCheckFailed(new Error('Failed to load credentials'))).toMatch(/could not be read/);
    expect(tlsCheckFailed(tlsError('ECONNRESET'))).toBeUndefined();
  });

  it('stops start-up naming the variable when a TLS file cannot be read', () => {
    const { status } = capture();
    expect(() =>
      createChannelSecurity(
        {
          caFile: '/nonexistent/ca.crt',
          certFile: undefined,
          keyFile: undefined,
          serverName: undefined,
          reloadIntervalMs: 1000,
        },
        status,
      ),
    ).toThrow('RECOMMENDATIONS_TLS_CA_FILE: cannot read /nonexistent/ca.crt');
  });
});
