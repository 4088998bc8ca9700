import { BookCategory, RecommendationServiceClient } from '@bookstore/contracts';
import { createTestPki } from '@bookstore/dev-certificates';
import { credentials, type ChannelCredentials } from '@grpc/grpc-js';
import { connect } from 'node:tls';
import { recommend } from './support/calls';
import { startTestServer, type TestServer } from './support/test-server';

const request = { userId: 1, category: BookCategory.BOOK_CATEGORY_MYSTERY, maxResults: 1 };
const DAY = 86_400_000;

/**
 * Mutual TLS as a caller meets it: the access log names who called, TLS_ALLOWED_CLIENTS narrows
 * "signed by our CA" to a list, and every refused caller sees its failure with nothing served.
 */
describe('mutual TLS: caller identity and refusals', () => {
  const pki = createTestPki();
  let env: Record<string, string>;
  let trust: Buffer;
  const clients = {} as Record<
    'marketplace' | 'intruder' | 'impostor' | 'bare' | 'expired' | 'stranger',
    { cert: Buffer; key: Buffer }
  >;
  beforeAll(async () => {
    const ca = await pki.authority('bookstore');
    const other = await pki.authority('other');
    const server = await ca.issue({ commonName: 'recommendations', usage: 'server', altNames: ['localhost'] });
    env = { TLS_CERT_FILE: server.certFile, TLS_KEY_FILE: server.keyFile, TLS_CLIENT_CA_FILE: ca.caFile };
    trust = ca.ca;
    // As make certs and k8s/mtls/ issue it: the identity in a DNS subject alternative name.
    clients.marketplace = await ca.issue({ commonName: 'marketplace', usage: 'client', altNames: ['marketplace'] });
    clients.intruder = await ca.issue({ commonName: 'reporting-job', usage: 'client', altNames: ['reporting-job'] });
    // Anyone the CA signs for can write any CN: the marketplace's, with another SAN or none.
    clients.impostor = await ca.issue({ commonName: 'marketplace', usage: 'client', altNames: ['reporting-job'] });
    clients.bare = await ca.issue({ commonName: 'marketplace', usage: 'client' });
    clients.expired = await ca.issue({
      commonName: 'marketplace',
      usage: 'client',
      notBefore: new Date(Date.now() - 3 * DAY),
      notAfter: new Date(Date.now() - DAY),
    });
    clients.stranger = await other.issue({ commonName: 'marketplace', usage: 'client' });
  });
  afterAll(() => pki.remove());

  const as = (name: keyof typeof clients) => credentials.createSsl(trust, clients[name].key, clients[name].cert);

  async function call(server: TestServer, creds: ChannelCredentials) {
    const client = new RecommendationServiceClient(server.address.replace('127.0.0.1', 'localhost'), creds);
    try {
      return await recommend(client, request).then(
        (response) => ({ code: 0, details: '', books: response.recommendations.length }),
        (error: { code: number; details: string }) => ({ code: error.code, details: error.details, books: 0 }),
      );
    } finally {
      client.close();
    }
  }
  /** A raw TLS handshake as h2 clients make it: 'accepted' once the server answers the HTTP/2 preface, else what failed. */
  async function handshake(server: TestServer, client?: { cert: Buffer; key: Buffer }): Promise<string> {
    const socket = connect({
      host: '127.0.0.1',
      port: server.ports.port,
      servername: 'localhost',
      ca: trust,
      ALPNProtocols: ['h2'],
      ...client,
    });
    try {
      return await new Promise<string>((resolve) => {
        socket.once('secureConnect', () => socket.write('PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n'));
        socket.once('data', () => resolve('accepted'));
        socket.once('error', (error: NodeJS.ErrnoException) => resolve(error.code ?? error.message));
        socket.once('close', () => resolve('closed without an answer'));
        socket.setTimeout(5000, () => resolve('timed out'));
      });
    } finally {
      socket.destroy();
    }
  }
  const rpcLines = (server: TestServer) => server.logs.filter((line) => line.msg === 'rpc finished');

  it('names the caller (certificate CN) on each access-log line', async () => {
    const server = await startTestServer({ env });
    try {
      expect(await call(server, as('marketplace'))).toEqual({ code: 0, details: '', books: 1 });
      expect(rpcLines(server)).toEqual([expect.objectContaining({ code: 'OK', caller: 'marketplace' })]);
    } finally {
      await server.close();
    }
  });

  it('refuses, before any call, a client with no certificate, one from another CA and an expired one', async () => {
    const server = await startTestServer({ env });
    try {
      const refusals = {
        none: await call(server, credentials.createSsl(trust)),
        stranger: await call(server, as('stranger')),
        expired: await call(server, as('expired')),
      };
      // What a gRPC caller sees: UNAVAILABLE (grpc-js keeps the TLS alert's text only sometimes).
      expect(Object.values(refusals).map((r) => [r.code, r.books])).toEqual([
        [14, 0],
        [14, 0],
        [14, 0],
      ]);
      // What the handshake says, as any TLS client sees it.
      expect({
        marketplace: await handshake(server, clients.marketplace),
        none: await handshake(server),
        stranger: await handshake(server, clients.stranger),
        expired: await handshake(server, clients.expired),
      }).toEqual({
        marketplace: 'accepted',
        none: 'ERR_SSL_TLSV13_ALERT_CERTIFICATE_REQUIRED',
        // Node's TLS server (rejectUnauthorized) drops a client whose certificate fails
        // verification right after the handshake, without an alert.
        stranger: 'closed without an answer',
        expired: 'closed without an answer',
      });
      expect(rpcLines(server)).toEqual([]);
    } finally {
      await server.close();
    }
  });

  it('with TLS_ALLOWED_CLIENTS, a valid certificate not on the list gets PERMISSION_DENIED and nothing', async () => {
    const server = await startTestServer({ env: { ...env, TLS_ALLOWED_CLIENTS: 'marketplace, admin' } });
    try {
      expect(await call(server, as('marketplace'))).toEqual({ code: 0, details: '', books: 1 });
      expect(await call(server, as('intruder'))).toEqual({
        code: 7,
        details: 'client reporting-job is not in TLS_ALLOWED_CLIENTS',
        books: 0,
      });
      expect(rpcLines(server)).toEqual([
        expect.objectContaining({ code: 'OK', caller: 'marketplace' }),
        expect.objectContaining({ code: 'PERMISSION_DENIED', caller: 'reporting-job' }),
      ]);
      const metrics = await server.metrics();
      expect(metrics).toMatch(
        /grpc_server_handled_total\{[^}]*grpc_method="Recommend"[^}]*grpc_code="PermissionDenied"[^}]*\} 1/,
      );
    } finally {
      await server.close();
    }
  });

  it('with TLS_ALLOWED_CLIENTS, matches subject alternative names only: a listed CN is not enough', async () => {
    const server = await startTestServer({ env: { ...env, TLS_ALLOWED_CLIENTS: 'marketplace' } });
    try {
      expect({
        impostor: await call(server, as('impostor')),
        bare: await call(server, as('bare')),
        marketplace: await call(server, as('marketplace')),
      }).toEqual({
        impostor: {
          code: 7,
          details: 'client marketplace is not in TLS_ALLOWED_CLIENTS (its subject alternative names: reporting-job)',
          books: 0,
        },
        bare: {
          code: 7,
          details: 'client marketplace is not in TLS_ALLOWED_CLIENTS (its subject alternative names: none)',
          books: 0,
        },
        marketplace: { code: 0, details: '', books: 1 },
      });
    } finally {
      await server.close();
    }
  });

  it('refuses to start with TLS_ALLOWED_CLIENTS but no client CA', async () => {
    const { TLS_CERT_FILE = '', TLS_KEY_FILE = '' } = env;
    await expect(
      startTestServer({ env: { TLS_CERT_FILE, TLS_KEY_FILE, TLS_ALLOWED_CLIENTS: 'marketplace' } }),
    ).rejects.toThrow('TLS_ALLOWED_CLIENTS needs TLS_CLIENT_CA_FILE');
  });
});
