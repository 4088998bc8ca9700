import { X509Certificate } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { once } from 'node:events';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { checkServerIdentity, connect, createServer, type TLSSocket } from 'node:tls';
import { createTestPki, RECOMMENDATIONS_SERVER_NAMES, writeDevCertificates } from '../src';

describe('make certs (writeDevCertificates)', () => {
  const dir = mkdtempSync(join(tmpdir(), 'dev-certs-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  const read = (file: string) => readFileSync(join(dir, file));

  it('writes a CA, a server certificate for every Service name and a marketplace client certificate', async () => {
    await writeDevCertificates(dir);
    const ca = new X509Certificate(read('ca.crt'));
    const server = new X509Certificate(read('recommendations/tls.crt'));
    const client = new X509Certificate(read('marketplace/tls.crt'));
    expect(ca.ca).toBe(true);
    expect(server.verify(ca.publicKey) && client.verify(ca.publicKey)).toBe(true);
    expect(server.subjectAltName?.split(', ')).toEqual(
      RECOMMENDATIONS_SERVER_NAMES.map((n) => (/^\d/.test(n) ? `IP Address:${n}` : `DNS:${n}`)),
    );
    expect(client.subject).toBe('CN=marketplace');
    // TLS_ALLOWED_CLIENTS matches this, never the CN.
    expect(client.subjectAltName).toBe('DNS:marketplace');
    expect(read('marketplace/ca.crt').equals(read('ca.crt'))).toBe(true);
    expect(statSync(join(dir, 'recommendations/tls.key')).isFile()).toBe(true);
  });

  it('the pair completes a mutual TLS handshake by the compose and Kubernetes names', async () => {
    const tlsServer = createServer({
      cert: read('recommendations/tls.crt'),
      key: read('recommendations/tls.key'),
      ca: read('ca.crt'),
      requestCert: true,
      rejectUnauthorized: true,
    });
    const peers: string[] = [];
    tlsServer.on('secureConnection', (socket: TLSSocket) => {
      peers.push(String(socket.getPeerCertificate().subject.CN));
      socket.end();
    });
    tlsServer.listen(0, '127.0.0.1');
    await once(tlsServer, 'listening');
    const { port } = tlsServer.address() as { port: number };
    try {
      for (const servername of ['recommendations', 'recommendations.bookstore.svc.cluster.local']) {
        const accepted = once(tlsServer, 'secureConnection');
        const socket = connect({
          port,
          host: '127.0.0.1',
          servername,
          ca: read('marketplace/ca.crt'),
          cert: read('marketplace/tls.crt'),
          key: read('marketplace/tls.key'),
          checkServerIdentity: (_host, cert) => checkServerIdentity(servername, cert),
        });
        await Promise.all([once(socket, 'secureConnect'), accepted]);
        expect(socket.authorized).toBe(true);
        socket.destroy();
      }
      expect(peers).toEqual(['marketplace', 'marketplace']);
    } finally {
      tlsServer.close();
    }
  });

  it('test certificates can be expired', async () => {
    const pki = createTestPki();
    try {
      const ca = await pki.authority('t');
      const expired = await ca.issue({
        commonName: 'old',
        usage: 'client',
        notBefore: new Date(Date.now() - 3 * 86_400_000),
        notAfter: new Date(Date.now() - 86_400_000),
      });
      expect(new Date(new X509Certificate(expired.cert).validTo).getTime()).toBeLessThan(Date.now());
    } finally {
      pki.remove();
    }
  });
});
