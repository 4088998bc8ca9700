import { writeDevCertificates } from '@bookstore/dev-certificates';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startMarketplace, startReplicas, stopAll } from './support/bookstore';
import { loadPage } from './support/pages';
import type { ServiceProcess } from './support/processes';

/**
 * Both built services over mutual TLS, configured as `make run TLS=mtls` configures them (the
 * development certificates of `make certs`): what the Marketplace's tests check against a
 * contract-level fake, here against the real Recommendations.
 */
describe('Marketplace → Recommendations over mutual TLS, as built', () => {
  const dir = mkdtempSync(join(tmpdir(), 'bookstore-mtls-'));
  const file = (service: string, name: string) => join(dir, service, name);
  const running: ServiceProcess[] = [];
  afterAll(async () => {
    await stopAll(running);
    rmSync(dir, { recursive: true, force: true });
  });

  it('serves whole pages to a certified Marketplace, named on the log line; one without a certificate degrades', async () => {
    await writeDevCertificates(dir);
    const [replica] = await startReplicas(1, {
      TLS_CERT_FILE: file('recommendations', 'tls.crt'),
      TLS_KEY_FILE: file('recommendations', 'tls.key'),
      TLS_CLIENT_CA_FILE: file('recommendations', 'ca.crt'),
      TLS_ALLOWED_CLIENTS: 'marketplace',
    });
    running.push(replica as ServiceProcess);
    const target = `127.0.0.1:${replica?.port}`;
    const ca = { RECOMMENDATIONS_TLS_CA_FILE: file('marketplace', 'ca.crt') };
    const [certified, anonymous] = await Promise.all([
      startMarketplace(target, {
        ...ca,
        RECOMMENDATIONS_TLS_CERT_FILE: file('marketplace', 'tls.crt'),
        RECOMMENDATIONS_TLS_KEY_FILE: file('marketplace', 'tls.key'),
      }),
      startMarketplace(target, ca),
    ]);
    running.push(certified, anonymous);

    const page = await loadPage(`http://127.0.0.1:${certified.port}/`, { 'x-request-id': 'mtls-page' });
    expect([page.status, page.degraded, page.books.length]).toEqual([200, false, 3]);
    const line = await replica!.waitForLog((l) => l.msg === 'rpc finished' && l.requestId === 'mtls-page');
    expect(line).toMatchObject({ code: 'OK', caller: 'marketplace' });

    const refused = await loadPage(`http://127.0.0.1:${anonymous.port}/`);
    expect([refused.status, refused.degraded, refused.books.length]).toEqual([200, true, 0]);
    const tlsLine = await anonymous.waitForLog((l) => String(l.msg).startsWith('TLS to Recommendations failed'));
    expect(tlsLine.msg).toMatch(/requires a client certificate/);
  });
});
