import { createTestPki } from '@bookstore/dev-certificates';
import {
  FAKE_BOOKS,
  type FakeOptions,
  type FakeRecommendations,
  startFakeRecommendations,
} from '../support/fake-recommendations';
import { buildTestApp, html, type TestApp } from '../support/test-app';

const DAY = 86_400_000;

/**
 * The Marketplace dialling Recommendations (the contract-level fake, serving TLS and requiring a
 * client certificate as the real one does) over mutual TLS, configured through its real config
 * loader with certificates made for this run.
 */
describe('Marketplace → Recommendations over mutual TLS', () => {
  const pki = createTestPki();
  const files = {} as Record<string, string>;
  let serverTls: NonNullable<FakeOptions['tls']>;
  beforeAll(async () => {
    const ca = await pki.authority('bookstore');
    const other = await pki.authority('other');
    const server = await ca.issue({
      commonName: 'recommendations',
      usage: 'server',
      altNames: ['localhost', '127.0.0.1'],
    });
    const expired = await ca.issue({
      commonName: 'recommendations',
      usage: 'server',
      altNames: ['localhost', '127.0.0.1'],
      notBefore: new Date(Date.now() - 3 * DAY),
      notAfter: new Date(Date.now() - DAY),
    });
    const client = await ca.issue({ commonName: 'marketplace', usage: 'client' });
    Object.assign(files, {
      ca: ca.caFile,
      otherCa: other.caFile,
      clientCert: client.certFile,
      clientKey: client.keyFile,
      expiredCert: expired.certFile,
      expiredKey: expired.keyFile,
    });
    serverTls = { certFile: server.certFile, keyFile: server.keyFile, clientCaFile: ca.caFile };
  });
  afterAll(() => pki.remove());

  const mutual = () => ({
    RECOMMENDATIONS_TLS_CA_FILE: files.ca!,
    RECOMMENDATIONS_TLS_CERT_FILE: files.clientCert!,
    RECOMMENDATIONS_TLS_KEY_FILE: files.clientKey!,
    // The target is an address (127.0.0.1:port): check the name the certificate carries.
    RECOMMENDATIONS_TLS_SERVER_NAME: 'localhost',
  });

  async function withBookstore(
    env: { server: NonNullable<FakeOptions['tls']>; marketplace: Record<string, string> },
    run: (t: TestApp, server: FakeRecommendations) => Promise<void>,
  ) {
    const server = await startFakeRecommendations({ tls: env.server });
    const t = await buildTestApp({ address: server.address, env: env.marketplace });
    try {
      await run(t, server);
    } finally {
      await t.close();
      await server.stop();
    }
  }

  const bookItems = (body: string) => html(body).querySelectorAll('main li');
  const tlsLines = (t: TestApp) => t.logs.filter((line) => line.msg.startsWith('TLS to Recommendations'));

  it('serves the homepage with 3 books and the whole /books catalog; Recommendations sees the caller', async () => {
    await withBookstore({ server: serverTls, marketplace: mutual() }, async (t, server) => {
      const home = await t.app.inject('/');
      expect(home.statusCode).toBe(200);
      expect(bookItems(home.body)).toHaveLength(3);
      const books = await t.app.inject('/books');
      expect(books.statusCode).toBe(200);
      expect(bookItems(books.body)).toHaveLength(FAKE_BOOKS.length);
      expect(server.calls.map((c) => [c.method, c.caller])).toEqual([
        ['Recommend', 'marketplace'],
        ['ListBooks', 'marketplace'],
      ]);
      expect(tlsLines(t).map((l) => l.msg)).toEqual(['TLS to Recommendations established']);
    });
  });

  // Each: the marketplace's settings, what it must log (once, however many pages fail).
  it.each([
    [
      'a CA that did not sign the server certificate',
      () => ({ ...mutual(), RECOMMENDATIONS_TLS_CA_FILE: files.otherCa! }),
      {},
      /not signed by a CA in RECOMMENDATIONS_TLS_CA_FILE/,
    ],
    [
      'a server name the certificate does not carry',
      () => ({ ...mutual(), RECOMMENDATIONS_TLS_SERVER_NAME: 'recommendations.elsewhere' }),
      {},
      /does not name the host dialled/,
    ],
    ['an expired server certificate', mutual, { expired: true }, /server certificate has expired/],
    [
      'no client certificate for a server that requires one',
      () => ({ RECOMMENDATIONS_TLS_CA_FILE: files.ca! }),
      {},
      /requires a client certificate/,
    ],
  ])('with %s: pages degrade and one log line names the failed check', async (_case, marketplace, variant, check) => {
    const server = (variant as { expired?: boolean }).expired
      ? { ...serverTls, certFile: files.expiredCert!, keyFile: files.expiredKey! }
      : serverTls;
    await withBookstore({ server, marketplace: marketplace() }, async (t) => {
      for (let page = 0; page < 5; page += 1) {
        const response = await t.app.inject(page % 2 === 0 ? '/' : '/books');
        expect(response.statusCode).toBe(200);
        expect(html(response.body).querySelector('main')?.text).toContain('unavailable');
        expect(bookItems(response.body)).toHaveLength(0);
      }
      const [line, ...more] = tlsLines(t);
      expect(more).toEqual([]);
      expect(line?.level).toBe(50);
      expect(line?.msg).toMatch(check);
      expect(line?.check).toMatch(check);
      expect(t.logs.filter((line) => line.err !== undefined || /\n\s+at /.test(JSON.stringify(line)))).toEqual([]);
    });
  });
});
