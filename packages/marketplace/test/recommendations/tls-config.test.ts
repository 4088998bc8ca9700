import { loadConfig } from '../../src/config';

const CA = { RECOMMENDATIONS_TLS_CA_FILE: '/tls/ca.crt' };
const PAIR = { RECOMMENDATIONS_TLS_CERT_FILE: '/tls/tls.crt', RECOMMENDATIONS_TLS_KEY_FILE: '/tls/tls.key' };
const NAME = { RECOMMENDATIONS_TLS_SERVER_NAME: 'recommendations.bookstore.svc' };

describe('RECOMMENDATIONS_TLS_* settings', () => {
  it.each([
    ['nothing: plaintext', {}, undefined],
    ['the CA: TLS', CA, { caFile: '/tls/ca.crt', certFile: undefined, keyFile: undefined, serverName: undefined }],
    ['CA, certificate and key: mutual TLS', { ...CA, ...PAIR }, { caFile: '/tls/ca.crt', certFile: '/tls/tls.crt' }],
    ['with a server name', { ...CA, ...PAIR, ...NAME }, { serverName: 'recommendations.bookstore.svc' }],
  ])('accepts %s', (_case, env, expected) => {
    const tls = loadConfig(env).recommendationsTls;
    if (expected === undefined) expect(tls).toBeUndefined();
    else expect(tls).toEqual(expect.objectContaining({ ...expected, reloadIntervalMs: 60_000 }));
  });

  it.each([
    [
      'a certificate without its key',
      { ...CA, RECOMMENDATIONS_TLS_CERT_FILE: '/c' },
      'RECOMMENDATIONS_TLS_CA_FILE, RECOMMENDATIONS_TLS_CERT_FILE',
    ],
    [
      'a key without its certificate',
      { ...CA, RECOMMENDATIONS_TLS_KEY_FILE: '/k' },
      'RECOMMENDATIONS_TLS_CA_FILE, RECOMMENDATIONS_TLS_KEY_FILE',
    ],
    ['a client pair without the CA', PAIR, 'RECOMMENDATIONS_TLS_CERT_FILE, RECOMMENDATIONS_TLS_KEY_FILE'],
    ['a server name without the CA', NAME, 'RECOMMENDATIONS_TLS_SERVER_NAME'],
  ])('stops start-up with one message naming the variables for %s', (_case, env, got) => {
    expect(() => loadConfig(env)).toThrow(
      'invalid configuration:\n  - TLS to Recommendations needs RECOMMENDATIONS_TLS_CA_FILE (which turns it on), ' +
        'optionally RECOMMENDATIONS_TLS_CERT_FILE and RECOMMENDATIONS_TLS_KEY_FILE together (mutual TLS) and ' +
        `RECOMMENDATIONS_TLS_SERVER_NAME; set now: ${got}`,
    );
  });
});
