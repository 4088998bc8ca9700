import { BookCategory, RecommendationServiceClient } from '@bookstore/contracts';
import { credentials } from '@grpc/grpc-js';
import { copyFileSync } from 'node:fs';
import { join } from 'node:path';
import { X509Certificate } from 'node:crypto';
import { connect } from 'node:tls';
import { recommend } from './support/calls';
import { createCertificateAuthority, createScratchDir } from './support/certificates';
import { createHealthClient } from '@bookstore/test-support';
import { startTestServer, type TestServer } from './support/test-server';

const request = { userId: 1, category: BookCategory.BOOK_CATEGORY_MYSTERY, maxResults: 1 };

/** The SHA-256 fingerprint of the certificate a TLS handshake with the port is answered with. */
function servedFingerprint(port: number): Promise<string> {
  return new Promise((resolve, reject) => {
    const socket = connect({ host: '127.0.0.1', port, ALPNProtocols: ['h2'], rejectUnauthorized: false }, () => {
      resolve(socket.getPeerCertificate().fingerprint256);
      socket.destroy();
    });
    socket.on('error', reject);
  });
}

describe('TLS and mutual TLS', () => {
  const scratch = createScratchDir();
  const ca = createCertificateAuthority(scratch.dir, 'bookstore');
  const otherCa = createCertificateAuthority(scratch.dir, 'other');
  const serverCert = ca.issue('recommendations', { server: true });
  const client = ca.issue('marketplace', { server: false });
  const stranger = otherCa.issue('marketplace', { server: false });
  afterAll(() => scratch.remove());

  async function withServer(env: Record<string, string>, run: (server: TestServer) => Promise<void>) {
    const server = await startTestServer({
      env,
      clientCredentials: credentials.createSsl(ca.ca, client.key, client.cert),
    });
    try {
      await run(server);
    } finally {
      await server.close();
    }
  }

  async function callWith(address: string, creds: ReturnType<typeof credentials.createSsl>) {
    // By name, as TLS clients verify it (the certificate carries localhost and 127.0.0.1).
    const byName = address.replace('127.0.0.1', 'localhost');
    const server = { client: new RecommendationServiceClient(byName, creds) };
    try {
      return await recommend(server.client, request).then(
        () => 'ok',
        (error: { code: number }) => `failed with ${error.code}`,
      );
    } finally {
      server.client.close();
    }
  }

  it('serves TLS clients that trust the CA; health is plaintext on HEALTH_PORT', async () => {
    await withServer({ TLS_CERT_FILE: serverCert.certFile, TLS_KEY_FILE: serverCert.keyFile }, async (server) => {
      expect(await callWith(server.address, credentials.createSsl(ca.ca))).toBe('ok');
      expect(await callWith(server.address, credentials.createSsl(otherCa.ca))).toBe('failed with 14');
      const health = createHealthClient(`127.0.0.1:${server.ports.healthPort}`);
      expect(await health.check('readiness')).toBe('SERVING');
      health.close();
    });
  });

  it('with TLS_CLIENT_CA_FILE, accepts only clients with a certificate from that CA', async () => {
    const env = { TLS_CERT_FILE: serverCert.certFile, TLS_KEY_FILE: serverCert.keyFile, TLS_CLIENT_CA_FILE: ca.caFile };
    await withServer(env, async (server) => {
      expect(await callWith(server.address, credentials.createSsl(ca.ca, client.key, client.cert))).toBe('ok');
      expect(await callWith(server.address, credentials.createSsl(ca.ca))).toBe('failed with 14');
      expect(await callWith(server.address, credentials.createSsl(ca.ca, stranger.key, stranger.cert))).toBe(
        'failed with 14',
      );
    });
  });

  it('picks up a rotated server certificate without a restart', async () => {
    const rotating = { certFile: join(scratch.dir, 'live.pem'), keyFile: join(scratch.dir, 'live.key') };
    copyFileSync(serverCert.certFile, rotating.certFile);
    copyFileSync(serverCert.keyFile, rotating.keyFile);
    const env = { TLS_CERT_FILE: rotating.certFile, TLS_KEY_FILE: rotating.keyFile, TLS_RELOAD_INTERVAL_MS: '100' };
    await withServer(env, async (server) => {
      expect(await callWith(server.address, credentials.createSsl(ca.ca))).toBe('ok');
      expect(await callWith(server.address, credentials.createSsl(otherCa.ca))).toBe('failed with 14');
      const renewed = otherCa.issue('recommendations', { server: true });
      copyFileSync(renewed.certFile, rotating.certFile);
      copyFileSync(renewed.keyFile, rotating.keyFile);
      // The server rereads the files every 100 ms: wait until a handshake shows the new certificate.
      const wanted = new X509Certificate(renewed.cert).fingerprint256;
      const deadline = Date.now() + 5000;
      while ((await servedFingerprint(server.ports.port)) !== wanted && Date.now() < deadline);
      expect(await callWith(server.address, credentials.createSsl(otherCa.ca))).toBe('ok');
    });
  });

  it('refuses to start with half a TLS configuration', async () => {
    await expect(startTestServer({ env: { TLS_CERT_FILE: serverCert.certFile } })).rejects.toThrow(
      'TLS_CERT_FILE and TLS_KEY_FILE must be set together',
    );
  });
});
