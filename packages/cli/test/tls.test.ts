import { createTestCa, type TestCa } from './support/certificates';
import { startRecommendations, type RunningServer } from './support/recommendations-server';
import { runCli } from './support/run-cli';

/** The exit code of `health` with these flags and environment (0 = SERVING over that channel). */
async function health(addr: string, flags: string[] = [], env: Record<string, string> = {}) {
  const result = await runCli(['--addr', addr, ...flags, 'health'], env);
  return result.code === 0 ? 'ok' : `exit ${result.code}: ${/^bookstore: ([A-Z_]+)/m.exec(result.stderr)?.[1]}`;
}

describe('bookstore over TLS and mutual TLS (certificates made by openssl now)', () => {
  let ca: TestCa;
  let other: TestCa;
  beforeAll(() => {
    ca = createTestCa('bookstore');
    other = createTestCa('other');
  });
  afterAll(() => {
    ca.remove();
    other.remove();
  });

  describe('TLS: --ca or RECOMMENDATIONS_TLS_CA_FILE turns it on', () => {
    let server: RunningServer;
    beforeAll(async () => {
      const cert = ca.issue('recommendations', { server: ['localhost', '127.0.0.1'] });
      server = await startRecommendations({ env: { TLS_CERT_FILE: cert.certFile, TLS_KEY_FILE: cert.keyFile } });
    });
    afterAll(() => server.stop());

    it('succeeds with the CA as a flag or a variable, fails without it or with another CA', async () => {
      const addr = `localhost:${server.port}`;
      expect(await health(addr, ['--ca', ca.caFile])).toBe('ok');
      expect(await health(addr, [], { RECOMMENDATIONS_TLS_CA_FILE: ca.caFile })).toBe('ok');
      expect(await health(addr)).toBe('exit 24: UNAVAILABLE');
      expect(await health(addr, ['--ca', other.caFile])).toBe('exit 24: UNAVAILABLE');
    });

    it('recommend answers over TLS too', async () => {
      const result = await runCli(['--json', 'recommend', '--category', 'mystery'], {
        RECOMMENDATIONS_ADDR: `127.0.0.1:${server.port}`,
        RECOMMENDATIONS_TLS_CA_FILE: ca.caFile,
      });
      expect(result.code).toBe(0);
      expect((JSON.parse(result.stdout) as { recommendations: unknown[] }).recommendations).toHaveLength(3);
    });
  });

  it('--server-name / RECOMMENDATIONS_TLS_SERVER_NAME: checks the certificate against that name', async () => {
    const cert = ca.issue('internal', { server: ['recommendations.bookstore.internal'] });
    const server = await startRecommendations({ env: { TLS_CERT_FILE: cert.certFile, TLS_KEY_FILE: cert.keyFile } });
    try {
      const addr = `127.0.0.1:${server.port}`;
      expect(await health(addr, ['--ca', ca.caFile])).toBe('exit 24: UNAVAILABLE');
      expect(await health(addr, ['--ca', ca.caFile, '--server-name', 'recommendations.bookstore.internal'])).toBe('ok');
      const env = {
        RECOMMENDATIONS_TLS_CA_FILE: ca.caFile,
        RECOMMENDATIONS_TLS_SERVER_NAME: 'recommendations.bookstore.internal',
      };
      expect(await health(addr, [], env)).toBe('ok');
      expect(await health(addr, ['--server-name', 'elsewhere.example'], env)).toBe('exit 24: UNAVAILABLE');
    } finally {
      await server.stop();
    }
  });

  it('mutual TLS: --cert/--key or their variables present a client certificate', async () => {
    const cert = ca.issue('recommendations-mtls', { server: ['localhost', '127.0.0.1'] });
    const client = ca.issue('bookstore-cli', { client: true });
    const stranger = other.issue('bookstore-cli', { client: true });
    const server = await startRecommendations({
      env: { TLS_CERT_FILE: cert.certFile, TLS_KEY_FILE: cert.keyFile, TLS_CLIENT_CA_FILE: ca.caFile },
    });
    try {
      const addr = `127.0.0.1:${server.port}`;
      expect(await health(addr, ['--ca', ca.caFile, '--cert', client.certFile, '--key', client.keyFile])).toBe('ok');
      const env = {
        RECOMMENDATIONS_TLS_CA_FILE: ca.caFile,
        RECOMMENDATIONS_TLS_CERT_FILE: client.certFile,
        RECOMMENDATIONS_TLS_KEY_FILE: client.keyFile,
      };
      expect(await health(addr, [], env)).toBe('ok');
      expect(await health(addr, ['--ca', ca.caFile])).toBe('exit 24: UNAVAILABLE');
      expect(await health(addr, ['--ca', ca.caFile, '--cert', stranger.certFile, '--key', stranger.keyFile])).toBe(
        'exit 24: UNAVAILABLE',
      );
    } finally {
      await server.stop();
    }
  });

  it('a client certificate without the CA, or half of one, is a usage error (exit 2)', async () => {
    const client = ca.issue('half', { client: true });
    expect(await health('127.0.0.1:1', ['--cert', client.certFile, '--key', client.keyFile])).toMatch(/^exit 2/);
    expect(await health('127.0.0.1:1', ['--ca', ca.caFile, '--key', client.keyFile])).toMatch(/^exit 2/);
    expect(await health('127.0.0.1:1', [], { RECOMMENDATIONS_TLS_SERVER_NAME: 'x' })).toMatch(/^exit 2/);
  });
});
