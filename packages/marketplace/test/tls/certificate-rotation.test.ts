import { createTestPki } from '@bookstore/dev-certificates';
import { copyFileSync, mkdirSync, renameSync, symlinkSync } from 'node:fs';
import { join } from 'node:path';
import { startFakeRecommendations } from '../support/fake-recommendations';
import { buildTestApp, html } from '../support/test-app';

/**
 * A client certificate renewed in place, as cert-manager and the kubelet do it (files reached
 * through a `..data` symlink swapped atomically), while pages are being served: new connections
 * present the new certificate and no page fails or degrades.
 */
describe('client certificate rotation under page load', () => {
  const pki = createTestPki();
  afterAll(() => pki.remove());

  it('switches to the renewed certificate without a restart and without a failed page', async () => {
    const ca = await pki.authority('bookstore');
    const server = await ca.issue({ commonName: 'recommendations', usage: 'server', altNames: ['localhost'] });
    const first = await ca.issue({ commonName: 'marketplace', usage: 'client' });
    const renewed = await ca.issue({ commonName: 'marketplace-renewed', usage: 'client' });

    const secret = join(pki.dir, 'secret');
    const version = (name: string, files: { certFile: string; keyFile: string }) => {
      mkdirSync(join(secret, name), { recursive: true });
      copyFileSync(files.certFile, join(secret, name, 'tls.crt'));
      copyFileSync(files.keyFile, join(secret, name, 'tls.key'));
    };
    version('v1', first);
    symlinkSync('v1', join(secret, '..data'));
    symlinkSync(join('..data', 'tls.crt'), join(secret, 'tls.crt'));
    symlinkSync(join('..data', 'tls.key'), join(secret, 'tls.key'));

    // Connections live at most 1 s (+1 s grace), so new ones are made during the run.
    const recommendations = await startFakeRecommendations({
      tls: { certFile: server.certFile, keyFile: server.keyFile, clientCaFile: ca.caFile },
      serverOptions: { 'grpc.max_connection_age_ms': 1000, 'grpc.max_connection_age_grace_ms': 1000 },
    });
    const t = await buildTestApp({
      address: recommendations.address,
      env: {
        RECOMMENDATIONS_TLS_CA_FILE: ca.caFile,
        RECOMMENDATIONS_TLS_CERT_FILE: join(secret, 'tls.crt'),
        RECOMMENDATIONS_TLS_KEY_FILE: join(secret, 'tls.key'),
        RECOMMENDATIONS_TLS_SERVER_NAME: 'localhost',
        RECOMMENDATIONS_TLS_RELOAD_INTERVAL_MS: '200',
      },
    });
    const callers = () => recommendations.calls.map((call) => String(call.caller));
    const from = (caller: string) => (call: { caller: string | undefined }) => call.caller === caller;
    const failures: string[] = [];
    let pages = 0;
    let running = true;
    const worker = async () => {
      while (running) {
        const response = await t.app.inject('/');
        pages += 1;
        const books = html(response.body).querySelectorAll('main li').length;
        if (response.statusCode !== 200 || books !== 3) failures.push(`${response.statusCode} with ${books} books`);
      }
    };
    try {
      const load = Promise.all([worker(), worker(), worker(), worker()]);
      // Pages served on the first certificate, over more than one connection (each lives 1 s).
      await recommendations.waitForCalls(from('marketplace'), 20);
      const before = pages;
      version('v2', renewed);
      symlinkSync('v2', join(secret, '..data-next'));
      renameSync(join(secret, '..data-next'), join(secret, '..data'));
      // The renewed certificate is read within 200 ms and presented on the next connection; jest's
      // timeout bounds the wait. Pages go on being served on it.
      await recommendations.waitForCalls(from('marketplace-renewed'), 20);
      running = false;
      await load;

      expect({ failures, before: before > 0, after: pages > before }).toEqual({
        failures: [],
        before: true,
        after: true,
      });
      const seen = callers();
      expect(seen[0]).toBe('marketplace');
      expect(seen.at(-1)).toBe('marketplace-renewed');
      expect(new Set(seen)).toEqual(new Set(['marketplace', 'marketplace-renewed']));
    } finally {
      running = false;
      await t.close();
      await recommendations.stop();
    }
  });
});
